import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { DECLINE_TABLE_VERSION, classifyDecline } from '@payflow/declines';
import type { Queryable } from '@payflow/platform/database';
import { CardAuthorizations, toSeconds } from '../budgets/card-authorizations';
import { CustomerClocks } from '../clocks/customer-clocks';
import { decideAfterFailure } from '../decisions';
import { DunningConfig } from '../dunning.config';
import { type CaseSubject, DunningPublisher } from '../events/dunning-publisher';
import { DunningSettingsService } from '../settings/dunning-settings.service';
import { AttemptsRepository } from './attempts.repository';
import { CaseDecisions } from './case-decisions';
import { CaseFactsLoader } from './case-facts';
import { failuresTotal, unusableCardsTotal } from './case-metrics';
import { CasesRepository } from './cases.repository';
import { CustomerCards } from './customer-cards';
import { causeOf } from './event-cause';
import { type InvoiceRow, InvoicesRepository } from './invoices.repository';

type FailedEvent = EventOf<'invoice.payment_failed'>;

/**
 * `invoice.payment_failed` (DESIGN.md "Collections and dunning"): records the attempt with its
 * classified decline, counts it in the card's budget, opens or updates the invoice's case and
 * decides the next step — unless the invoice is a subscription's first (never dunned), or already
 * paid or void (a late failure opens nothing). A hard decline of a card announces it unusable.
 *
 * Locks, in the order every writer takes them: the customer (orders this against a card change),
 * the test clock FOR SHARE (against its sync), the invoice, the case.
 */
@Injectable()
export class PaymentFailures {
  private readonly logger = new Logger(PaymentFailures.name);

  constructor(
    private readonly customers: CustomerCards,
    private readonly clocks: CustomerClocks,
    private readonly invoices: InvoicesRepository,
    private readonly attempts: AttemptsRepository,
    private readonly cases: CasesRepository,
    private readonly facts: CaseFactsLoader,
    private readonly decisions: CaseDecisions,
    private readonly authorizations: CardAuthorizations,
    private readonly settings: DunningSettingsService,
    private readonly publisher: DunningPublisher,
    private readonly config: DunningConfig,
  ) {}

  async failed(tx: Queryable, event: FailedEvent): Promise<void> {
    const data = event.data;
    const subject = subjectOf(event);
    const failedAt = new Date(data.failed_at);
    const customer = await this.customers.lock(tx, subject);
    const now = await this.clocks.nowForDecision(tx, subject.test_clock_id, subject.merchant_id, failedAt);
    const invoice = await this.invoices.record(tx, subject, data.billing_reason ?? null, null);
    const network = data.network?.toLowerCase() ?? null;
    const classification = classifyDecline({
      code: data.code,
      decline_code: data.decline_code,
      network,
      advice_code: data.advice_code,
    });
    const recorded = await this.attempts.recordFailure(tx, {
      invoice_id: subject.invoice_id,
      merchant_id: subject.merchant_id,
      attempt: data.attempt,
      payment_intent: data.payment_intent,
      payment_method: data.payment_method,
      code: data.code,
      decline_code: data.decline_code,
      network,
      advice_code: data.advice_code,
      classification,
      decline_table_version: DECLINE_TABLE_VERSION,
      at: failedAt,
    });
    if (!recorded) return this.outcome('duplicate', subject, data.attempt);
    // An authorization the card network saw (none without a payment intent: billing did not ask).
    if (data.payment_intent && data.payment_method) {
      await this.authorizations.record(tx, {
        merchant_id: subject.merchant_id,
        customer_id: subject.customer_id,
        payment_method: data.payment_method,
        at: failedAt,
        approved: false,
        network,
        invoice_id: subject.invoice_id,
        payment_intent: data.payment_intent,
        source_event_id: event.id,
      });
    }
    if (invoice.billing_reason === 'subscription_create') {
      await this.attempts.decide(tx, subject.invoice_id, data.attempt, null, 'first_invoice', null);
      return this.outcome('first_invoice', subject, data.attempt);
    }
    const standing = standingOf(invoice, data.attempt);
    if (standing === 'ended') {
      await this.attempts.decide(tx, subject.invoice_id, data.attempt, null, `invoice_${invoice.status}`, null);
      return this.outcome('invoice_ended', subject, data.attempt);
    }
    if (standing === 'reopened') await this.invoices.reopen(tx, subject.invoice_id);
    const known = await this.customers.learnFromFailure(tx, customer, data.payment_method);
    const { case: c, previous_attempt } = await this.cases.onFailure(tx, subject, data.attempt, failedAt, standing === 'reopened');
    const cause = causeOf(event);

    // Only a card the network declined is announced: billing's own no-card codes (no payment
    // intent: nothing was sent) say nothing about the card.
    if (classification.needs_new_payment_method && data.payment_method && data.payment_intent) {
      const marked = await this.customers.markUnusable(tx, {
        customer_id: subject.customer_id,
        merchant_id: subject.merchant_id,
        payment_method: data.payment_method,
        invoice_id: subject.invoice_id,
        reason: classification.reason,
        declined_at: failedAt,
      });
      if (marked) {
        await this.publisher.paymentMethodUnusable(tx, subject, data.payment_method, classification.reason, now, cause);
        unusableCardsTotal.inc();
      }
    }

    if (c.status === 'exhausted') {
      // A payment the merchant asked for after the schedule gave up: nothing more to plan.
      await this.attempts.decide(tx, subject.invoice_id, data.attempt, 'exhausted', 'case_exhausted', null);
      await this.publisher.decided(
        tx,
        c,
        { attempt: data.attempt, decision: 'exhausted', due_at: null, reason: 'case_exhausted', classification: classification.class },
        now,
        cause,
      );
      return this.outcome('case_exhausted', subject, data.attempt);
    }
    if (data.attempt < previous_attempt) {
      await this.attempts.decide(tx, subject.invoice_id, data.attempt, null, 'superseded', null);
      return this.outcome('superseded', subject, data.attempt);
    }

    const ctx = { now, cause, trigger: 'failure' as const, classification: classification.class };
    const current = known.payment_method;
    if (current !== null && current !== data.payment_method) {
      // The customer's card changed before this failure was handled: try the new one at once.
      await this.decisions.tryNewPaymentMethod(tx, c, data.attempt, current, { ...ctx, trigger: 'new_payment_method' });
    } else {
      const facts = await this.facts.load(tx, c, current);
      const settings = await this.settings.settingsOf(tx, subject.merchant_id);
      const card = await this.decisions.cardOf(tx, c, data.payment_method, now);
      const decision = decideAfterFailure(facts, settings, card, this.config.networkLimits, toSeconds(now));
      await this.decisions.apply(tx, c, data.attempt, decision, ctx);
    }
    this.outcome('decided', subject, data.attempt);
  }

  private outcome(outcome: string, subject: CaseSubject, attempt: number): void {
    failuresTotal.inc({ outcome });
    if (outcome !== 'decided' && outcome !== 'first_invoice') {
      this.logger.log(`${subject.invoice_id} attempt ${attempt}: ${outcome}, nothing decided`);
    }
  }
}

export function subjectOf(event: EventOf<'invoice.payment_failed' | 'invoice.finalized' | 'invoice.paid' | 'invoice.voided' | 'invoice.marked_uncollectible'>): CaseSubject {
  const { invoice } = event.data;
  return {
    invoice_id: invoice.id,
    merchant_id: event.merchant_id,
    customer_id: invoice.customer,
    subscription_id: invoice.subscription ?? null,
    test_clock_id: event.data.test_clock ?? null,
  };
}

/**
 * Whether a failure still concerns a case: a void or uncollectible invoice, or one paid by a later
 * attempt, is over (the failure arrived late); a failure of the attempt that paid it, or a later
 * one, is a reversed payment (billing reopens the invoice): the case opens again.
 */
function standingOf(invoice: InvoiceRow, attempt: number): 'open' | 'reopened' | 'ended' {
  if (invoice.status === 'open') return 'open';
  if (invoice.status === 'paid' && invoice.paid_attempt !== null && attempt >= invoice.paid_attempt) return 'reopened';
  return 'ended';
}
