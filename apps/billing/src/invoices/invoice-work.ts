import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScheduledWork } from '../scheduler/scheduled-work';
import { WORK_KINDS } from '../scheduler/work-kinds';
import { InvoiceFinalization } from './invoice-finalization';
import { Invoicing } from './invoicing';

/**
 * The scheduled work of invoices: `subscription.renew` bills a subscription at its period boundary
 * (and schedules the next), `invoice.finalize` finalizes a draft at the end of its window. Both are
 * idempotent: billing again for the same time writes nothing, and a draft is finalized once. Their
 * batch forms run the rows of one instant together (docs/billing.md "Benchmark").
 */
@Injectable()
export class InvoiceWork implements OnModuleInit {
  constructor(
    private readonly work: ScheduledWork,
    private readonly invoicing: Invoicing,
    private readonly finalization: InvoiceFinalization,
  ) {}

  onModuleInit(): void {
    this.work.register(WORK_KINDS.renew, async (tx, row, now) => {
      await this.invoicing.bill(tx, row.subject_id, now, { finalizeNow: false });
    });
    this.work.register(WORK_KINDS.finalize, async (tx, row) => {
      await this.finalization.finalize(tx, row.subject_id);
    });
    // The same, for many rows of one instant at once (a test clock's renewal day, a busy boundary).
    this.work.registerBatch(WORK_KINDS.renew, (tx, rows, now) =>
      this.invoicing.billMany(
        tx,
        rows.map((row) => row.subject_id),
        now,
      ),
    );
    this.work.registerBatch(WORK_KINDS.finalize, (tx, rows) =>
      this.finalization.finalizeMany(
        tx,
        rows.map((row) => row.subject_id),
      ),
    );
  }
}
