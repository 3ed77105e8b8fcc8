import { Injectable } from '@nestjs/common';
import { isValidAmountMinor } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { CustomerTime } from '../test-clocks/customer-time';
import { CustomerBalances } from './customer-balances';
import { Cause, NO_CAUSE } from './invoice-events';
import { invoicesFinalizedTotal, paymentRequestsTotal } from './invoice-metrics';
import { sequenceOf } from './invoice-number';
import { InvoiceNumbers } from './invoice-numbers';
import { Settlement, settle, subtotalOf } from './invoice-totals';
import type { InvoiceRow } from './invoice.row';
import { InvoiceWriter } from './invoice-writer';
import { InvoicesRepository } from './invoices.repository';
import { PaymentAttempts } from './payment-attempts';
import { SubscriptionEffects } from './subscription-effects';

/**
 * Finalization (DESIGN.md "Billing"), in one transaction under the invoice's row lock: the lines
 * are summed, the customer's credit applied (its balance row locked), the next number of the
 * merchant's gapless sequence drawn (its row locked until commit), the invoice opened and
 * `invoice.finalized` written; then either its first payment attempt is requested, or — nothing
 * being due — it is paid at once (`invoice.paid`, a negative total having become credit).
 *
 * Locks are always taken in one order: subscription, invoice, customer balance, number sequence.
 */
@Injectable()
export class InvoiceFinalization {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly customerTime: CustomerTime,
    private readonly balances: CustomerBalances,
    private readonly numbers: InvoiceNumbers,
    private readonly writer: InvoiceWriter,
    private readonly attempts: PaymentAttempts,
    private readonly effects: SubscriptionEffects,
    private readonly clock: Clock,
  ) {}

  /** Finalizes a draft (the `invoice.finalize` work): anything else is left as it is (idempotent). */
  async finalize(tx: Queryable, invoiceId: string, cause: Cause = NO_CAUSE): Promise<InvoiceRow | null> {
    const peek = await this.invoices.find(tx, invoiceId);
    if (!peek || peek.status !== 'draft') return peek;
    if (peek.subscription_id) {
      await tx.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [peek.subscription_id]);
    }
    const draft = await this.invoices.find(tx, invoiceId, 'update');
    if (!draft || draft.status !== 'draft') return draft;
    return this.finalizeLocked(tx, draft, cause);
  }

  /**
   * `finalize` for several drafts (the `invoice.finalize` work of one instant), with the same
   * effects as finalizing them one after the other in the order given, in a few statements: every
   * lock first, each level in id order (subscriptions, invoices, customer balances, then the number
   * sequences), so batches never wait on each other crosswise; one read of the lines, customers and
   * balances; one block of numbers per sequence; one UPDATE; one outbox INSERT of every
   * `invoice.finalized` and `invoice.payment_requested`. A batch with anything but that plain path
   * (an invoice paid at once, a customer without a card or whose card dunning marked unusable, an
   * amount no payment can carry, a customer time that cannot be read) is finalized row by row with `finalizeLocked` under the same locks.
   */
  async finalizeMany(tx: Queryable, invoiceIds: readonly string[], cause: Cause = NO_CAUSE): Promise<void> {
    const peeked = (await this.invoices.findMany(tx, invoiceIds)).filter((row) => row.status === 'draft');
    if (peeked.length === 0) return;
    const subscriptions = [
      ...new Set(peeked.flatMap((row) => (row.subscription_id ? [row.subscription_id] : []))),
    ].sort();
    if (subscriptions.length > 0) {
      await tx.query(`SELECT 1 FROM subscriptions WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [
        subscriptions,
      ]);
    }
    const order = new Map(invoiceIds.map((id, i) => [id, i]));
    const drafts = (
      await this.invoices.findMany(
        tx,
        peeked.map((row) => row.id),
        'update',
      )
    )
      .filter((row) => row.status === 'draft')
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    if (drafts.length === 0) return;
    const customers = await this.customersOf(tx, [...new Set(drafts.map((row) => row.customer_id))]);
    const lines = await this.invoices.linesOf(
      tx,
      drafts.map((row) => row.id),
    );
    const balances = await this.balances.lockMany(tx, drafts);
    const opening = new Map(balances);

    // Each invoice in turn, as finalizeLocked would: its customer's time, the credit it uses.
    const plans: { draft: InvoiceRow; now: Date; settlement: Settlement; paymentMethod: string }[] = [];
    for (const draft of drafts) {
      const customer = customers.get(draft.customer_id);
      const now = customer?.test_clock_id ? customer.frozen_time : customer ? this.clock.now() : null;
      const key = `${draft.customer_id}|${draft.currency}`;
      const settlement = settle(subtotalOf(lines.get(draft.id) ?? []), balances.get(key) ?? 0);
      const plain =
        now &&
        customer?.payment_method &&
        !customer.unusable &&
        settlement.amount_due > 0 &&
        isValidAmountMinor(settlement.amount_due);
      if (!plain) {
        for (const row of drafts) await this.finalizeLocked(tx, row, cause);
        return;
      }
      balances.set(key, settlement.ending_balance);
      plans.push({ draft, now, settlement, paymentMethod: customer.payment_method! });
    }
    for (const [key, balance] of balances) {
      const [customerId, currency] = key.split('|');
      await this.balances.add(tx, customerId, currency, balance - (opening.get(key) ?? 0));
    }
    const numbers = new Map<string, string[]>();
    for (const plan of plans) {
      const sequence = `${plan.draft.merchant_id}|${sequenceOf(plan.draft.test_clock_id)}`;
      numbers.set(sequence, [...(numbers.get(sequence) ?? []), plan.draft.id]);
    }
    const numberOf = new Map<string, string>();
    for (const [sequence, ids] of [...numbers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [merchantId, which] = sequence.split('|');
      const drawn = await this.numbers.nextMany(tx, merchantId, which as 'live' | 'test', ids.length);
      ids.forEach((id, i) => numberOf.set(id, drawn[i]));
    }

    const events: Parameters<InvoiceWriter['announce']>[1][number][] = [];
    const opened: InvoiceRow[] = [];
    for (const { draft, now, settlement, paymentMethod } of plans) {
      const invoiceLines = lines.get(draft.id) ?? [];
      const finalized: InvoiceRow = {
        ...draft,
        status: 'open',
        number: numberOf.get(draft.id)!,
        subtotal: settlement.subtotal,
        total: settlement.total,
        starting_balance: settlement.starting_balance,
        amount_due: settlement.amount_due,
        finalized_at: now,
        finalize_at: null,
        paid_at: null,
        version: draft.version + 1,
      };
      const requested: InvoiceRow = {
        ...finalized,
        attempt_count: 1,
        payment_pending: true,
        version: draft.version + 2,
      };
      opened.push(requested);
      events.push({
        type: 'invoice.finalized',
        row: finalized,
        lines: invoiceLines,
        facts: {},
        clockTime: now,
      });
      events.push({
        type: 'invoice.payment_requested',
        row: requested,
        lines: invoiceLines,
        facts: {
          attempt: 1,
          payment_method: paymentMethod,
          amount: finalized.amount_due,
          currency: finalized.currency,
          customer: finalized.customer_id,
          off_session: true,
        },
        clockTime: now,
      });
    }
    await this.invoices.openWithAttemptMany(tx, opened);
    await this.writer.announce(tx, events, cause);
    invoicesFinalizedTotal.inc({ status: 'open' }, plans.length);
    paymentRequestsTotal.inc({ outcome: 'requested' }, plans.length);
  }

  /**
   * Customers' payment methods (and whether dunning marked them unusable) and clock times
   * (frozen_time of their test clock), by id.
   */
  private async customersOf(
    tx: Queryable,
    ids: readonly string[],
  ): Promise<
    Map<
      string,
      { payment_method: string | null; unusable: boolean; test_clock_id: string | null; frozen_time: Date | null }
    >
  > {
    const rows = rowsOf<{
      id: string;
      payment_method: string | null;
      unusable: boolean;
      test_clock_id: string | null;
      frozen_time: Date | null;
    }>(
      await tx.query(
        `SELECT c.id, c.payment_method, c.test_clock_id, t.frozen_time,
                EXISTS (SELECT 1 FROM unusable_payment_methods u
                         WHERE u.customer_id = c.id AND u.payment_method = c.payment_method) AS unusable
           FROM customers c LEFT JOIN test_clocks t ON t.id = c.test_clock_id
          WHERE c.id = ANY($1::text[])`,
        [ids],
      ),
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { ...row, frozen_time: row.frozen_time === null ? null : new Date(row.frozen_time) },
      ]),
    );
  }

  /** Finalizes a draft whose subscription and row the caller has locked. */
  async finalizeLocked(tx: Queryable, draft: InvoiceRow, cause: Cause): Promise<InvoiceRow> {
    const now = await this.customerTime.nowFor(tx, draft.customer_id);
    const subtotal = subtotalOf(await this.invoices.lines(tx, draft.id));
    const balance = await this.balances.lock(tx, draft.customer_id, draft.currency);
    const settlement = settle(subtotal, balance);
    await this.balances.add(tx, draft.customer_id, draft.currency, settlement.ending_balance - balance);
    const number = await this.numbers.next(tx, draft.merchant_id, sequenceOf(draft.test_clock_id));
    const paidNow = settlement.amount_due === 0;

    let row = await this.writer.change(
      tx,
      draft,
      {
        status: paidNow ? 'paid' : 'open',
        number,
        subtotal: settlement.subtotal,
        total: settlement.total,
        starting_balance: settlement.starting_balance,
        amount_due: settlement.amount_due,
        finalized_at: now,
        finalize_at: null,
        paid_at: paidNow ? now : null,
      },
      'invoice.finalized',
      {},
      now,
      cause,
    );
    invoicesFinalizedTotal.inc({ status: row.status });
    if (paidNow) {
      row = await this.writer.change(tx, row, {}, 'invoice.paid', {}, now, cause);
      await this.effects.invoicePaid(tx, row, now, cause);
      return row;
    }
    return this.attempts.request(tx, row, 1, now, cause);
  }
}
