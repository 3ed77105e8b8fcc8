import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import type { Tx } from '@payflow/platform/database';
import type { Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { pspNotificationsTotal } from '../metrics/orchestrator-metrics';
import { AttemptResults } from '../results/attempt-results.service';
import { Compensations } from '../results/compensations.service';
import type { Settlement, SettlementCause } from '../results/settlement';
import { declineOf } from './notification-decline';
import { effectOf, matchNotification, reportsCapture, type NotificationMatch } from './notification-matching';
import {
  PspNotificationsRepository,
  type NotificationEvent,
  type StoredNotification,
} from './psp-notifications.repository';

/** Most pending notifications looked at per change (a bound, not an expected size). */
const PENDING_SCAN_LIMIT = 100;

/** Rounds of `applyPending` while they decide something (each decision may unblock another). */
const PENDING_PASSES = 3;

/**
 * Applies PSP notifications order-independently (DESIGN.md, "PSP webhooks"): a notification settles
 * the attempt it reports on, whatever came first — the API answer, another notification, or
 * nothing yet. One that no attempt can take is kept `pending` and retried whenever an attempt of its
 * intent is recorded or changes; one that would move a settled attempt backwards is recorded and
 * ignored; a duplicate has no second effect.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly notifications: PspNotificationsRepository,
    private readonly attempts: AttemptsRepository,
    private readonly results: AttemptResults,
    private readonly compensations: Compensations,
    private readonly clock: Clock,
  ) {}

  /** A `psp.notification_received` event, in the inbox transaction. */
  async receive(tx: Tx, event: NotificationEvent): Promise<void> {
    const now = this.clock.now();
    const stored = await this.notifications.insert(tx, event, now);
    if (!stored) {
      pspNotificationsTotal.inc({ kind: event.data.kind, decision: 'duplicate' });
      return;
    }
    const intentIds = await this.intentsOf(tx, event);
    let decided = false;
    for (const intentId of intentIds) {
      const attempts = await this.attempts.lockForIntent(tx, intentId);
      if (await this.decide(tx, stored, attempts, now)) {
        decided = true;
        await this.applyPending(tx, intentId, []);
        break;
      }
    }
    if (!decided) {
      pspNotificationsTotal.inc({ kind: event.data.kind, decision: 'pending' });
      this.logger.log(
        `${event.data.provider} ${event.data.kind} notification ${event.data.psp_event_id} kept until an attempt can take it`,
      );
    }
  }

  /**
   * Applies what is pending for an intent (or its PSP references). Called in the transaction of
   * every attempt change: a notification that came too early is applied as soon as it can be.
   * Deciding one may unblock another (a technical cancel's answer lets the authorization report
   * waiting on it through), so it goes round again while anything was decided, a few times at most.
   */
  async applyPending(tx: Tx, intentId: string, references: readonly (string | null)[]): Promise<void> {
    const refs = references.filter((ref): ref is string => Boolean(ref));
    for (let pass = 0; pass < PENDING_PASSES; pass++) {
      const pending = (await this.notifications.lockPending(tx, intentId, refs)).slice(0, PENDING_SCAN_LIMIT);
      if (pending.length === 0) return;
      const now = this.clock.now();
      let decided = false;
      for (const stored of pending) {
        const attempts = await this.attempts.lockForIntent(tx, intentId);
        if (await this.decide(tx, stored, attempts, now)) decided = true;
      }
      if (!decided) return;
    }
  }

  /**
   * The intents a notification may be about: the one it names, else the intent of the attempt it
   * names (Adyen's signed merchantReference may carry only that), else those holding its PSP reference.
   */
  private async intentsOf(tx: Tx, event: NotificationEvent): Promise<string[]> {
    if (event.data.intent_id) return [event.data.intent_id];
    if (event.data.attempt_id) {
      const intentId = await this.attempts.intentOfAttempt(tx, event.data.attempt_id);
      if (intentId) return [intentId];
    }
    return this.attempts.intentIdsByReference(tx, event.data.psp_reference);
  }

  /** Decides one stored notification against the intent's attempts; false when it must wait. */
  private async decide(tx: Tx, stored: StoredNotification, attempts: Attempt[], now: Date): Promise<boolean> {
    const n = stored.event.data;
    if (n.kind === 'chargeback') {
      await this.record(
        tx,
        stored,
        'ignored',
        'chargeback: not an attempt outcome (disputes are out of scope)',
        now,
      );
      return true;
    }
    const match = matchNotification(n, attempts);
    if (!match) return false;
    const cause = { eventId: stored.event.id, correlationId: match.attempt.correlation_id };
    switch (effectOf(n, match)) {
      case 'settle':
        return this.settle(tx, stored, match, cause, now);
      case 'duplicate':
        await this.record(
          tx,
          stored,
          'ignored',
          `duplicate: ${match.attempt.id} is already ${match.attempt.status}`,
          now,
        );
        return true;
      case 'late_success': {
        const report = {
          pspReference: n.psp_reference,
          amount: n.amount > 0 ? n.amount : match.attempt.amount,
          amountCaptured: reportsCapture(match) ? (n.amount > 0 ? n.amount : match.attempt.amount) : 0,
        };
        const effect = await this.compensations.lateSuccess(
          tx,
          match.attempt,
          attempts,
          reportsCapture(match),
          report,
          cause,
          now,
        );
        if (effect === 'wait') return false; // the deadline cancel's answer decides; kept until then
        if (effect === 'adopt') return this.settle(tx, stored, match, cause, now);
        await this.record(
          tx,
          stored,
          'ignored',
          `late success of ${match.attempt.id}: ${effect === 'compensated' ? 'already compensated' : `${effect} scheduled`}`,
          now,
        );
        return true;
      }
      case 'reverse':
        await this.results.reverse(
          tx,
          match.attempt,
          match.as === 'auto_capture',
          n.message ?? null,
          cause,
          now,
        );
        await this.record(tx, stored, 'applied', `reversed ${match.attempt.id}`, now);
        return true;
      case 'backwards':
        this.logger.warn(
          `${n.provider} ${n.kind} notification ${n.psp_event_id} (success ${n.success}) would move ${match.attempt.id} back from ${match.attempt.status}: ignored`,
        );
        await this.record(
          tx,
          stored,
          'ignored',
          `backwards: ${match.attempt.id} is ${match.attempt.status}`,
          now,
        );
        return true;
    }
  }

  private async settle(
    tx: Tx,
    stored: StoredNotification,
    match: NotificationMatch,
    cause: SettlementCause,
    now: Date,
  ): Promise<boolean> {
    const settled = await this.results.settle(
      tx,
      match.attempt,
      this.settlementOf(stored.event, match),
      cause,
      now,
    );
    await this.compensations.afterSettle(tx, settled, cause, now);
    await this.record(tx, stored, 'applied', `settled ${match.attempt.id}`, now);
    return true;
  }

  private settlementOf(event: NotificationEvent, match: NotificationMatch): Settlement {
    const n = event.data;
    const { attempt } = match;
    if (match.as === 'auto_capture') {
      return {
        status: 'succeeded',
        pspReference: n.psp_reference,
        amountCaptured: n.amount > 0 ? n.amount : attempt.amount,
      };
    }
    if (n.success) {
      return {
        status: 'succeeded',
        pspReference: attempt.operation === 'authorize' ? n.psp_reference : attempt.psp_reference,
        // A refund's own reference (Stripe `re_…`); Adyen names the payment here, which is no refund id.
        operationPspReference:
          attempt.operation === 'refund' && n.psp_reference !== attempt.psp_reference
            ? n.psp_reference
            : undefined,
        amount: n.amount > 0 ? n.amount : attempt.amount,
      };
    }
    if (attempt.operation === 'authorize') {
      return declineOf(n);
    }
    // The PSP refused the operation (not PayFlow failing to send it): an invalid request, in API.md's terms.
    return {
      status: 'failed',
      code: n.code ?? `${attempt.operation}_failed`,
      message: n.message ?? `${n.provider} reported the ${attempt.operation} failed`,
      errorClass: 'declined',
    };
  }

  private async record(
    tx: Tx,
    stored: StoredNotification,
    status: 'applied' | 'ignored',
    outcome: string,
    now: Date,
  ): Promise<void> {
    await this.notifications.decide(tx, stored.id, status, outcome, now);
    const decision =
      status === 'applied' ? 'applied' : outcome.startsWith('duplicate') ? 'duplicate' : 'ignored';
    pspNotificationsTotal.inc({ kind: stored.event.data.kind, decision });
  }
}
