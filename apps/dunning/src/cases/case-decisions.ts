import { Injectable } from '@nestjs/common';
import type { DeclineClass } from '@payflow/contracts';
import type { Queryable } from '@payflow/platform/database';
import { CardAuthorizations, toSeconds } from '../budgets/card-authorizations';
import { type CardAuthorization, planWithinBudget } from '../budgets/budget-rules';
import {
  type Decision,
  decideOnNewPaymentMethod,
  decideWaitExpired,
  scheduleDeadline,
  withCaseFailures,
} from '../decisions';
import { DunningConfig } from '../dunning.config';
import { DunningPublisher, type EventCause } from '../events/dunning-publisher';
import { DunningSettingsService } from '../settings/dunning-settings.service';
import { AttemptsRepository } from './attempts.repository';
import { CaseFactsLoader } from './case-facts';
import { casesEndedTotal, decisionsTotal, retriesIssuedTotal } from './case-metrics';
import type { CaseRow } from './case.row';
import { CasesRepository } from './cases.repository';
import { CustomerCards } from './customer-cards';
import { RetriesRepository } from './retries.repository';

/** When and why a decision is applied. */
export interface DecisionContext {
  /** The customer's time now (a test clock's for its customers). */
  now: Date;
  cause: EventCause;
  /** What asked for the decision (a metric label). */
  trigger: 'failure' | 'new_payment_method' | 'wait_expired' | 'budget_recheck';
  /** The failed attempt's class, carried on `dunning.decided` (absent for other triggers). */
  classification?: DeclineClass | null;
}

export function fromSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}

/**
 * Applies the pure decisions to a case and tells billing (DESIGN.md "Collections and dunning"): a
 * retry is planned (and issued at once when already due on the customer's clock), a case waits for
 * a new card until the schedule's last day, or it is exhausted with the merchant's final action.
 * Every decision is recorded on the attempt it follows and published as `dunning.decided`. Runs in
 * the caller's transaction, with the case row locked by the caller.
 */
@Injectable()
export class CaseDecisions {
  constructor(
    private readonly cases: CasesRepository,
    private readonly attempts: AttemptsRepository,
    private readonly retries: RetriesRepository,
    private readonly facts: CaseFactsLoader,
    private readonly cards: CardAuthorizations,
    private readonly customers: CustomerCards,
    private readonly settings: DunningSettingsService,
    private readonly publisher: DunningPublisher,
    private readonly config: DunningConfig,
  ) {}

  /** `decision`, made after `attempt` (the case's latest failed one). */
  async apply(tx: Queryable, c: CaseRow, attempt: number, decision: Decision, ctx: DecisionContext): Promise<void> {
    decisionsTotal.inc({ decision: decision.decision, trigger: ctx.trigger });
    switch (decision.decision) {
      case 'retry_scheduled': {
        const due = fromSeconds(decision.due_at);
        await this.cases.setWaiting(tx, c.invoice_id, null);
        await this.retries.schedule(tx, c, attempt + 1, due, decision.reason);
        await this.attempts.decide(tx, c.invoice_id, attempt, 'retry_scheduled', decision.reason, due);
        await this.publisher.decided(
          tx,
          c,
          { attempt, decision: 'retry_scheduled', due_at: due, reason: decision.reason, classification: ctx.classification },
          ctx.now,
          ctx.cause,
        );
        // Already due on the customer's clock (a new card, or a clock that is past it): now.
        if (due.getTime() <= ctx.now.getTime()) await this.issue(tx, c, attempt + 1, decision.reason, ctx.now, ctx.cause);
        return;
      }
      case 'wait_for_payment_method': {
        const until = fromSeconds(decision.until);
        await this.retries.cancelScheduled(tx, c.invoice_id);
        await this.cases.setWaiting(tx, c.invoice_id, until);
        await this.attempts.decide(tx, c.invoice_id, attempt, 'wait_for_payment_method', decision.reason, until);
        await this.publisher.decided(
          tx,
          c,
          { attempt, decision: 'wait_for_payment_method', due_at: until, reason: decision.reason, classification: ctx.classification },
          ctx.now,
          ctx.cause,
        );
        // The schedule's last day has passed already: nothing would come back to end the wait.
        if (until.getTime() <= ctx.now.getTime()) await this.expireWait(tx, { ...c, waiting_until: until }, ctx);
        return;
      }
      case 'exhausted':
        return this.exhaust(tx, c, attempt, decision.reason, ctx);
    }
  }

  /**
   * Writes `dunning.retry_due` for `attempt` if this transaction is the one that issues it (a
   * planned row claimed by the scheduler, or an immediate retry); false when it was issued already.
   */
  async issue(tx: Queryable, c: CaseRow, attempt: number, reason: string, now: Date, cause: EventCause): Promise<boolean> {
    if (!(await this.retries.markIssued(tx, c, attempt, now, reason))) return false;
    await this.publisher.retryDue(tx, c, attempt, reason, now, cause);
    retriesIssuedTotal.inc({ clock: c.test_clock_id ? 'test_clock' : 'wall' });
    return true;
  }

  /**
   * A planned retry that has come due (the scheduler, a clock's sync): its card's budget is checked
   * again first, since other authorizations of the card may have come since it was planned. Within
   * budget it is issued; else it moves to the first time it fits, or the case is exhausted.
   */
  async issueDue(tx: Queryable, c: CaseRow, attempt: number, reason: string, now: Date, cause: EventCause): Promise<void> {
    const paymentMethod = await this.customers.currentOf(tx, c.customer_id);
    const facts = await this.facts.load(tx, c, paymentMethod);
    const card = facts.current_payment_method;
    if (card === null) {
      // No card to count: billing's attempt fails at once (payment_method_missing) and is decided then.
      await this.issue(tx, c, attempt, reason, now, cause);
      return;
    }
    const settings = await this.settings.settingsOf(tx, c.merchant_id);
    const authorizations = withCaseFailures(await this.cardOf(tx, c, card, now), facts, card);
    const network = facts.failures.filter((f) => f.payment_method === card && f.network !== null).at(-1)?.network ?? null;
    const nowS = toSeconds(now);
    // A retry issued late (a pass that came after its time) is still the plan's: the deadline is now at least.
    const deadline = Math.max(scheduleDeadline(facts.anchor, settings), nowS);
    const plan = planWithinBudget(network, authorizations, this.config.networkLimits, nowS, deadline);
    if (plan.at === nowS) {
      await this.issue(tx, c, attempt, reason, now, cause);
      return;
    }
    const moved: Decision =
      plan.at === null
        ? { decision: 'exhausted', reason: `budget:${plan.moved_by ?? 'schedule_exhausted'}` }
        : { decision: 'retry_scheduled', due_at: plan.at, reason: `budget:${plan.moved_by}` };
    await this.apply(tx, c, c.last_attempt, moved, { now, cause, trigger: 'budget_recheck' });
  }

  /** A case that waited for a new card until its schedule's last day, and none came. */
  async expireWait(tx: Queryable, c: CaseRow, ctx: Omit<DecisionContext, 'trigger'>): Promise<void> {
    const facts = await this.facts.load(tx, c, null);
    const settings = await this.settings.settingsOf(tx, c.merchant_id);
    let decision = decideWaitExpired(facts, settings, toSeconds(ctx.now));
    // A wait that ends in another wait already over would never end: the schedule is over.
    if (decision.decision === 'wait_for_payment_method' && decision.until <= toSeconds(ctx.now)) {
      decision = { decision: 'exhausted', reason: decision.reason };
    }
    await this.apply(tx, c, c.last_attempt, decision, { ...ctx, trigger: 'wait_expired' });
  }

  /**
   * The customer's card is not the one that failed (a card change, or a case that opened on a card
   * no longer current): try the current one, at once when its budget allows.
   */
  async tryNewPaymentMethod(tx: Queryable, c: CaseRow, attempt: number, paymentMethod: string, ctx: DecisionContext): Promise<void> {
    const facts = await this.facts.load(tx, c, paymentMethod);
    const settings = await this.settings.settingsOf(tx, c.merchant_id);
    const card = await this.cardOf(tx, c, paymentMethod, ctx.now);
    const decision = decideOnNewPaymentMethod(facts, settings, card, this.config.networkLimits, toSeconds(ctx.now));
    await this.apply(tx, c, attempt, decision, ctx);
  }

  /** The authorizations the budget of this customer's card counts. */
  cardOf(tx: Queryable, c: CaseRow, paymentMethod: string | null, now: Date): Promise<CardAuthorization[]> {
    if (paymentMethod === null) return Promise.resolve([]);
    return this.cards.cardOf(
      tx,
      { merchant_id: c.merchant_id, customer_id: c.customer_id, payment_method: paymentMethod, on_wall_clock: c.test_clock_id === null },
      now,
    );
  }

  private async exhaust(tx: Queryable, c: CaseRow, attempt: number, reason: string, ctx: DecisionContext): Promise<void> {
    const settings = await this.settings.settingsOf(tx, c.merchant_id);
    await this.retries.cancelScheduled(tx, c.invoice_id);
    await this.cases.end(tx, c.invoice_id, 'exhausted', reason);
    await this.attempts.decide(tx, c.invoice_id, attempt, 'exhausted', reason, null);
    await this.publisher.decided(
      tx,
      c,
      { attempt, decision: 'exhausted', due_at: null, reason, classification: ctx.classification },
      ctx.now,
      ctx.cause,
    );
    await this.publisher.exhausted(
      tx,
      c,
      { final_action: settings.final_action, mark_uncollectible: settings.mark_uncollectible, reason },
      ctx.now,
      ctx.cause,
    );
    casesEndedTotal.inc({ reason: 'exhausted' });
  }
}
