import { Injectable } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import { CaseDecisions } from '../cases/case-decisions';
import { type CaseRow, caseColumns } from '../cases/case.row';
import { causeOf } from '../cases/event-cause';
import { CustomerClocks } from '../clocks/customer-clocks';
import { DunningPublisher } from '../events/dunning-publisher';
import { clockSyncsTotal } from './scheduler-metrics';

type DueItem =
  | { kind: 'retry'; at: Date; case: CaseRow; attempt: number; reason: string }
  | { kind: 'wait'; at: Date; case: CaseRow };

/**
 * A test clock's step (DESIGN.md "Time"): on `test_clock.advanced(clock, T)`, every retry of the
 * clock due at or before T is issued and every wait for a card over by T is ended, in due order,
 * then `dunning.clock_synced(clock, T)` — all in the event's one transaction, and all keyed by the
 * clock, so billing reads the retries before the sync that covers them. The clock's row is locked
 * FOR UPDATE first: a decision on the clock's customers (which holds it FOR SHARE) either commits
 * before, and its retry is found here, or runs after and sees T.
 */
@Injectable()
export class ClockSync {
  constructor(
    private readonly clocks: CustomerClocks,
    private readonly decisions: CaseDecisions,
    private readonly publisher: DunningPublisher,
  ) {}

  async advanced(tx: Queryable, event: EventOf<'test_clock.advanced'>): Promise<void> {
    const { clock: clockId } = event.data;
    const time = new Date(event.data.frozen_time);
    const clock = await this.clocks.lockForSync(tx, clockId, event.merchant_id);
    const cause = causeOf(event);
    for (;;) {
      const due = await this.dueItems(tx, clockId, time);
      if (due.length === 0) break;
      for (const item of due) {
        if (item.kind === 'retry') await this.decisions.issueDue(tx, item.case, item.attempt, item.reason, time, cause);
        else await this.decisions.expireWait(tx, item.case, { now: time, cause });
      }
    }
    const syncs = await this.clocks.recordSync(tx, clockId, time);
    await this.publisher.clockSynced(tx, { id: clock.id, merchant_id: clock.merchant_id, syncs }, time, cause);
    clockSyncsTotal.inc();
  }

  /** The clock's planned retries and expired waits due by `time`, locked, earliest first. */
  private async dueItems(tx: Queryable, clockId: string, time: Date): Promise<DueItem[]> {
    const retries = rowsOf<CaseRow & { attempt: number; reason: string; due_at: Date }>(
      await tx.query(
        `SELECT ${caseColumns('c')}, r.attempt, r.reason, r.due_at
           FROM retries r JOIN cases c ON c.invoice_id = r.invoice_id
          WHERE r.test_clock_id = $1 AND r.status = 'scheduled' AND r.due_at <= $2 AND c.status = 'open'
          ORDER BY r.due_at, r.invoice_id
          FOR UPDATE OF c, r`,
        [clockId, time],
      ),
    );
    const waits = rowsOf<CaseRow>(
      await tx.query(
        `SELECT ${caseColumns()} FROM cases
          WHERE test_clock_id = $1 AND status = 'open' AND waiting_until <= $2
          ORDER BY waiting_until, invoice_id
          FOR UPDATE`,
        [clockId, time],
      ),
    );
    const items: DueItem[] = [
      ...retries.map(({ attempt, reason, due_at, ...c }): DueItem => ({ kind: 'retry', at: new Date(due_at), case: c, attempt, reason })),
      ...waits.map((c): DueItem => ({ kind: 'wait', at: new Date(c.waiting_until as Date), case: c })),
    ];
    return items.sort((a, b) => a.at.getTime() - b.at.getTime() || a.case.invoice_id.localeCompare(b.case.invoice_id));
  }
}
