import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Tx } from '@payflow/platform/database';
import { InvoiceVoids } from '../invoices/invoice-voids';
import { Invoicing } from '../invoices/invoicing';
import { ScheduledWork, ScheduledWorkRow } from '../scheduler/scheduled-work';
import { WORK_KINDS } from '../scheduler/work-kinds';
import {
  NewSubscriptionEvent,
  decideCancelAtPeriodEnd,
  decideExpireIncomplete,
  decideTrialEnd,
} from './subscription-rules';
import { toSeconds } from './subscription-object';
import { LoadedStream, SubscriptionStreams, billCause } from './subscription-streams';

type Decide = (loaded: LoadedStream, now: number) => NewSubscriptionEvent[];

/**
 * The subscription's own scheduled work (BILLING-INTERFACES "Services"), run by the scheduler on
 * the customer's clock: the first invoice unpaid 23 h after creation (`incomplete_expired`, and the
 * invoice is voided), the end
 * of a trial (then the first paid period is billed), a cancellation at the period end. Each handler
 * locks the subscription, decides from its stream (pure) and appends nothing when there is nothing
 * left to do, so a second run, or a row left from a cancellation taken back, changes nothing.
 */
@Injectable()
export class SubscriptionWork implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionWork.name);

  constructor(
    private readonly scheduled: ScheduledWork,
    private readonly streams: SubscriptionStreams,
    private readonly invoicing: Invoicing,
    private readonly voids: InvoiceVoids,
  ) {}

  onModuleInit(): void {
    this.scheduled.register(WORK_KINDS.expireIncomplete, (tx, row, now) =>
      this.run(tx, row, now, ({ state }, t) => decideExpireIncomplete(state, t), null, (cause) =>
        this.voids.voidOpenOfExpired(tx, row.subject_id, now, billCause(cause)),
      ),
    );
    this.scheduled.register(WORK_KINDS.trialEnd, (tx, row, now) =>
      this.run(tx, row, now, ({ state, events }, t) => decideTrialEnd(state, events, t), { finalizeNow: false }),
    );
    this.scheduled.register(WORK_KINDS.cancelAtPeriodEnd, (tx, row, now) =>
      this.run(tx, row, now, ({ state, events }, t) => decideCancelAtPeriodEnd(state, events, t), {
        finalizeNow: false,
      }),
    );
  }

  /**
   * One row: lock, decide, append, and bill what the change made owed (the first paid period after
   * a trial; after a cancellation, nothing — but the generator is the one to say so). A trial's end
   * is a period boundary like any other: its invoice waits the draft window before finalization.
   */
  private async run(
    tx: Tx,
    row: ScheduledWorkRow,
    nowDate: Date,
    decide: Decide,
    bill: { finalizeNow: boolean } | null,
    after?: (cause: { correlationId: string; causationId: string }) => Promise<void>,
  ): Promise<void> {
    const loaded = await this.streams.load(tx, row.subject_id, { forUpdate: true });
    if (!loaded) {
      this.logger.warn(`${row.kind} for unknown subscription ${row.subject_id}: nothing to do`);
      return;
    }
    const now = toSeconds(nowDate);
    const events = decide(loaded, now);
    if (events.length === 0) return;
    const cause = { correlationId: `scheduled_work:${row.id}`, causationId: `scheduled_work:${row.id}` };
    await this.streams.append(tx, row.subject_id, loaded.state.version, events, cause);
    if (bill) await this.invoicing.bill(tx, row.subject_id, nowDate, { ...bill, cause: billCause(cause) });
    if (after) await after(cause);
    await this.streams.refreshLatestInvoice(tx, row.subject_id);
  }
}
