import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { Tx, rowsOf } from '@payflow/platform/database';
import { BillingConfig } from '../billing.config';
import {
  GenerateOptions,
  GeneratedInvoice,
  GeneratedLine,
  generateInvoiceLines,
  nextInvoiceAt,
} from '../invoice-generation';
import { ScheduledWork, WorkItem } from '../scheduler/scheduled-work';
import { WORK_KINDS } from '../scheduler/work-kinds';
import { isEnded } from '../subscriptions/subscription-rules';
import { SubscriptionEvent, SubscriptionState, foldSubscription } from '../subscriptions/subscription-stream';
import { SubscriptionStreams } from '../subscriptions/subscription-streams';
import { billingReasonOf, createdEventOf } from './billing-reason';
import { Cause, NO_CAUSE } from './invoice-events';
import { InvoiceFinalization } from './invoice-finalization';
import { boundaryOfKey, invoiceIdOf } from './invoice-ids';
import { InvoiceRow, fromSeconds, toSeconds } from './invoice.row';
import { InvoicesRepository, NewDraft, generateOptionsOf } from './invoices.repository';
import { ParkedCustomers, Violation } from './parked-customers';

/** An invoice `bill` wrote or changed (as it is once `bill` is done). */
export type BilledInvoice = InvoiceRow;

export interface BillOptions {
  /** Finalize what is due now at once (creation, `always_invoice`, `invoice_now`). */
  finalizeNow: boolean;
  cause?: Cause;
}

/**
 * Invoices are derived, not edited (DESIGN.md "Billing"): `bill` runs the pure generator on the
 * subscription's stream up to `at` against everything already invoiced, and writes only the
 * difference — new lines on the draft of their invoice key (one invoice per subscription per key,
 * created as needed). Run twice for one `at`, the second run finds no difference and writes nothing.
 *
 * A violation of the generator's invariants, or a line aimed at an invoice already finalized,
 * parks the customer and writes no invoice. Drafts are finalized at once when `finalizeNow` and
 * they are due (a `now:` invoice, a boundary reached, or the subscription's final invoice), else at
 * the end of their draft window (`invoice.finalize`); `subscription.renew` is scheduled at the next
 * instant the generator has something to invoice (GEN's `nextInvoiceAt`), as long as there is one. Runs in the caller's transaction and takes the
 * subscription's lock first.
 */
@Injectable()
export class Invoicing {
  private readonly logger = new Logger(Invoicing.name);

  constructor(
    private readonly streams: SubscriptionStreams,
    private readonly invoices: InvoicesRepository,
    private readonly finalization: InvoiceFinalization,
    private readonly parked: ParkedCustomers,
    private readonly work: ScheduledWork,
    private readonly config: BillingConfig,
    private readonly clock: Clock,
  ) {}

  async bill(tx: Tx, subscriptionId: string, at: Date, opts: BillOptions): Promise<BilledInvoice[]> {
    const loaded = await this.streams.load(tx, subscriptionId, { forUpdate: true });
    if (!loaded) throw new Error(`bill: subscription ${subscriptionId} has no stream`);
    const { events, state } = loaded;
    const upTo = toSeconds(at);
    const cause = opts.cause ?? NO_CAUSE;

    const history = await this.invoices.invoicedHistory(tx, subscriptionId);
    const { invoiced } = history;
    const options = generateOptionsOf(history);

    if (await this.parked.isParked(tx, state.customer_id)) {
      // The chain of renewals goes on, so a customer unparked later is billed at its next one.
      await this.scheduleRenewal(tx, state, events, upTo, invoiced, options);
      this.logger.warn(
        `subscription ${subscriptionId}: customer ${state.customer_id} is parked, nothing invoiced`,
      );
      return [];
    }

    const result = generateInvoiceLines(events, upTo, invoiced, options);
    const violations: Violation[] = [...result.violations];
    const targets: { generated: GeneratedInvoice; existing: InvoiceRow | null }[] = [];
    for (const generated of result.invoices) {
      if (generated.lines.length === 0) continue;
      const existing = await this.invoices.findByKey(tx, subscriptionId, generated.invoice_key, 'update');
      if (existing && existing.status !== 'draft') {
        violations.push({
          kind: 'line_on_finalized_invoice',
          detail: {
            invoice: existing.id,
            status: existing.status,
            lines: generated.lines.map((line) => line.id),
          },
        });
      }
      targets.push({ generated, existing });
    }
    if (violations.length > 0) {
      await this.parked.park(
        tx,
        { id: state.customer_id, merchant_id: state.merchant_id },
        subscriptionId,
        violations,
        at,
      );
      await this.scheduleRenewal(tx, state, events, upTo, invoiced, options);
      return [];
    }
    await this.scheduleRenewal(tx, state, events, upTo, [...invoiced, ...result.lines], options);

    const touched: InvoiceRow[] = [];
    for (const { generated, existing } of targets) {
      const draft =
        existing ??
        (await this.invoices.insertDraft(tx, {
          id: invoiceIdOf(subscriptionId, generated.invoice_key),
          merchant_id: state.merchant_id,
          customer_id: state.customer_id,
          subscription_id: subscriptionId,
          invoice_key: generated.invoice_key,
          billing_reason: billingReasonOf(generated.invoice_key, createdEventOf(events)),
          test_clock_id: state.test_clock_id,
          currency: state.currency,
          period_start: fromSeconds(generated.period_start),
          period_end: fromSeconds(generated.period_end),
          created_at: at,
          finalize_at: this.finalizeAtOf(generated.invoice_key, at),
        }));
      const count = existing ? await this.invoices.countLines(tx, draft.id) : 0;
      await this.invoices.insertLines(tx, draft.id, subscriptionId, generated.lines, count);
      touched.push(await this.invoices.refreshDraftTotals(tx, draft.id));
    }

    const billed: InvoiceRow[] = [];
    for (const draft of touched) {
      if (opts.finalizeNow && this.dueNow(draft, state, upTo)) {
        billed.push(await this.finalization.finalizeLocked(tx, draft, cause));
      } else {
        await this.scheduleFinalization(tx, draft);
        billed.push(draft);
      }
    }
    // A subscription that has ended gets its final invoice now: drafts waiting for a boundary that
    // will never be billed (pending prorations) are finalized with it.
    if (opts.finalizeNow && this.hasEnded(state, upTo)) {
      for (const draft of await this.invoices.ofStatusLocked(tx, subscriptionId, 'draft')) {
        if (touched.some((t) => t.id === draft.id)) continue;
        billed.push(await this.finalization.finalizeLocked(tx, draft, cause));
      }
    }
    if (touched.length > 0) await this.streams.refreshLatestInvoice(tx, subscriptionId);
    return billed;
  }

  /**
   * `bill(tx, id, at, { finalizeNow: false })` for several subscriptions (the `subscription.renew`
   * work of one instant), with the same effects, in a handful of statements for the whole batch:
   * the subscriptions locked in id order, their streams, invoiced lines, parked customers and
   * existing drafts read at once; the generator run on each; the new drafts, their lines, totals,
   * finalization and renewal work and the read models' `latest_invoice` written at once. A
   * subscription whose billing is not plain (no stream, a parked customer, an invariant violation,
   * a line aimed at a finalized invoice) is billed by `bill` itself afterwards, in this transaction
   * and under the lock already held, so it parks and logs exactly as it always does.
   */
  async billMany(tx: Tx, subscriptionIds: readonly string[], at: Date, cause?: Cause): Promise<void> {
    // Locked in id order; billed in the order given (the rows' order), so what they schedule is
    // written in the order the row-by-row path writes it.
    const ids = [...new Set(subscriptionIds)];
    if (ids.length === 0) return;
    await tx.query(`SELECT 1 FROM subscriptions WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [
      [...ids].sort(),
    ]);
    const streams = await this.streamsOf(tx, ids);
    const historyOf = await this.invoices.invoicedHistoryOf(tx, ids);
    const states = new Map([...streams].map(([id, events]) => [id, foldSubscription(events)]));
    const parked = await this.parked.parkedAmong(tx, [
      ...new Set([...states.values()].map((state) => state.customer_id)),
    ]);
    const upTo = toSeconds(at);

    const slow: string[] = [];
    const plans: {
      state: SubscriptionState;
      events: SubscriptionEvent[];
      invoiced: GeneratedLine[];
      options: GenerateOptions;
      generated: GeneratedInvoice[];
      lines: GeneratedLine[];
    }[] = [];
    for (const id of ids) {
      const events = streams.get(id);
      const state = states.get(id);
      if (!events || !state || parked.has(state.customer_id)) {
        slow.push(id);
        continue;
      }
      const history = historyOf.get(id) ?? { invoiced: [], voided: [], totals: [] };
      const { invoiced } = history;
      const options = generateOptionsOf(history);
      const result = generateInvoiceLines(events, upTo, invoiced, options);
      if (result.violations.length > 0) {
        slow.push(id);
        continue;
      }
      const generated = result.invoices.filter((invoice) => invoice.lines.length > 0);
      plans.push({ state, events, invoiced, options, generated, lines: result.lines });
    }
    const existing = await this.invoices.findByKeysForUpdate(
      tx,
      plans.flatMap(({ state, generated }) =>
        generated.map((g) => ({ subscription_id: state.id, invoice_key: g.invoice_key })),
      ),
    );
    const plain = plans.filter(({ state, generated }) => {
      const finalized = generated.some((g) => {
        const found = existing.get(`${state.id}|${g.invoice_key}`);
        return found !== undefined && found.status !== 'draft';
      });
      if (finalized) slow.push(state.id);
      return !finalized;
    });

    const work: WorkItem[] = [];
    const drafts: NewDraft[] = [];
    const targets: {
      invoice_id: string;
      subscription_id: string;
      lines: GeneratedLine[];
      existing: boolean;
    }[] = [];
    for (const { state, events, invoiced, options, generated, lines } of plain) {
      const next = nextInvoiceAt(events, upTo, [...invoiced, ...lines], options);
      if (next !== null && next > upTo) {
        work.push({
          kind: WORK_KINDS.renew,
          subject_id: state.id,
          test_clock_id: state.test_clock_id,
          due_at: fromSeconds(next),
        });
      }
      for (const g of generated) {
        const found = existing.get(`${state.id}|${g.invoice_key}`);
        const id = found?.id ?? invoiceIdOf(state.id, g.invoice_key);
        if (!found) {
          drafts.push({
            id,
            merchant_id: state.merchant_id,
            customer_id: state.customer_id,
            subscription_id: state.id,
            invoice_key: g.invoice_key,
            billing_reason: billingReasonOf(g.invoice_key, createdEventOf(events)),
            test_clock_id: state.test_clock_id,
            currency: state.currency,
            period_start: fromSeconds(g.period_start),
            period_end: fromSeconds(g.period_end),
            created_at: at,
            finalize_at: this.finalizeAtOf(g.invoice_key, at),
          });
        }
        targets.push({
          invoice_id: id,
          subscription_id: state.id,
          lines: g.lines,
          existing: found !== undefined,
        });
      }
    }
    await this.invoices.insertDrafts(tx, drafts);
    const counts = await this.invoices.countLinesMany(
      tx,
      targets.filter((t) => t.existing).map((t) => t.invoice_id),
    );
    await this.invoices.insertLinesMany(
      tx,
      targets.map((t) => ({ ...t, existing: t.existing ? (counts.get(t.invoice_id) ?? 0) : 0 })),
    );
    const touchedIds = [...new Set(targets.map((t) => t.invoice_id))];
    const position = new Map(touchedIds.map((id, i) => [id, i]));
    const touched = (await this.invoices.refreshDraftTotalsMany(tx, touchedIds)).sort(
      (a, b) => position.get(a.id)! - position.get(b.id)!,
    );
    for (const draft of touched) {
      if (draft.finalize_at) {
        work.push({
          kind: WORK_KINDS.finalize,
          subject_id: draft.id,
          test_clock_id: draft.test_clock_id,
          due_at: draft.finalize_at,
        });
      }
    }
    await this.work.scheduleMany(tx, work);
    await this.invoices.refreshLatestInvoices(
      tx,
      [...new Set(targets.map((t) => t.subscription_id))],
      this.clock.now(),
    );
    for (const id of slow) await this.bill(tx, id, at, { finalizeNow: false, cause });
  }

  /**
   * Several subscriptions' streams in one statement, read as SubscriptionStreams.load reads one
   * (events in version order, `at` in whole seconds of `occurred_at`); absent when there is none.
   */
  private async streamsOf(tx: Tx, ids: readonly string[]): Promise<Map<string, SubscriptionEvent[]>> {
    const rows = rowsOf<{
      subscription_id: string;
      version: number;
      type: string;
      data: unknown;
      occurred_at: Date;
    }>(
      await tx.query(
        `SELECT subscription_id, version, type, data, occurred_at FROM subscription_events
          WHERE subscription_id = ANY($1::text[]) ORDER BY subscription_id, version`,
        [ids],
      ),
    );
    const streams = new Map<string, SubscriptionEvent[]>();
    for (const row of rows) {
      const event = {
        type: row.type,
        version: Number(row.version),
        at: toSeconds(new Date(row.occurred_at)),
        data: row.data,
      } as SubscriptionEvent;
      const list = streams.get(row.subscription_id);
      if (list) list.push(event);
      else streams.set(row.subscription_id, [event]);
    }
    return streams;
  }

  /** When a new draft of `invoiceKey` is due for finalization: its boundary (or now) plus the draft window. */
  private finalizeAtOf(invoiceKey: string, at: Date): Date {
    const boundary = boundaryOfKey(invoiceKey);
    const from = boundary === null ? at.getTime() : Math.max(boundary * 1000, at.getTime());
    return new Date(from + this.config.draftWindowMs);
  }

  private dueNow(draft: InvoiceRow, state: SubscriptionState, upTo: number): boolean {
    const boundary = boundaryOfKey(draft.invoice_key);
    return boundary === null || boundary <= upTo || this.hasEnded(state, upTo);
  }

  private hasEnded(state: SubscriptionState, upTo: number): boolean {
    return isEnded(state.status) || (state.ended_at !== null && state.ended_at <= upTo);
  }

  private async scheduleFinalization(tx: Tx, draft: InvoiceRow): Promise<void> {
    if (!draft.finalize_at) return;
    await this.work.schedule(tx, {
      kind: WORK_KINDS.finalize,
      subject_id: draft.id,
      test_clock_id: draft.test_clock_id,
      due_at: draft.finalize_at,
    });
  }

  /** `subscription.renew` at the next instant the generator will have something to invoice, if any. */
  private async scheduleRenewal(
    tx: Tx,
    state: SubscriptionState,
    events: readonly SubscriptionEvent[],
    upTo: number,
    invoiced: readonly GeneratedLine[],
    options: GenerateOptions,
  ): Promise<void> {
    const next = nextInvoiceAt(events, upTo, invoiced, options);
    if (next === null || next <= upTo) return;
    await this.work.schedule(tx, {
      kind: WORK_KINDS.renew,
      subject_id: state.id,
      test_clock_id: state.test_clock_id,
      due_at: fromSeconds(next),
    });
  }
}

