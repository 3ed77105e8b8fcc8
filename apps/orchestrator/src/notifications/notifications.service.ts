import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import type { Tx } from '@payflow/platform/database';
import type { Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { scheduleCompensatingVoid } from '../attempts/compensating-void';
import { paymentAttemptsTotal, pspNotificationsTotal } from '../metrics/orchestrator-metrics';
import { AttemptResults } from '../results/attempt-results.service';
import type { Settlement } from '../results/settlement';
import { declineOf } from './notification-decline';
import { effectOf, matchNotification, type NotificationMatch } from './notification-matching';
import {
  PspNotificationsRepository,
  type NotificationEvent,
  type StoredNotification,
} from './psp-notifications.repository';

/** Most pending notifications looked at per change (a bound, not an expected size). */
const PENDING_SCAN_LIMIT = 100;

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
   */
  async applyPending(tx: Tx, intentId: string, references: readonly (string | null)[]): Promise<void> {
    const refs = references.filter((ref): ref is string => Boolean(ref));
    const pending = (await this.notifications.lockPending(tx, intentId, refs)).slice(0, PENDING_SCAN_LIMIT);
    if (pending.length === 0) return;
    const now = this.clock.now();
    for (const stored of pending) {
      const attempts = await this.attempts.lockForIntent(tx, intentId);
      await this.decide(tx, stored, attempts, now);
    }
  }

  /** The intents a notification may be about: the one it names, else those holding its PSP reference. */
  private async intentsOf(tx: Tx, event: NotificationEvent): Promise<string[]> {
    if (event.data.intent_id) return [event.data.intent_id];
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
    const effect = effectOf(n, match);
    switch (effect) {
      case 'settle':
        await this.results.settle(
          tx,
          match.attempt,
          this.settlementOf(stored.event, match),
          { eventId: stored.event.id, correlationId: match.attempt.correlation_id },
          now,
        );
        await this.record(tx, stored, 'applied', `settled ${match.attempt.id}`, now);
        return true;
      case 'duplicate':
        await this.record(
          tx,
          stored,
          'ignored',
          `duplicate: ${match.attempt.id} is already ${match.attempt.status}`,
          now,
        );
        return true;
      case 'void_late_authorization': {
        const pspReference = n.psp_reference;
        const voidAttempt = await scheduleCompensatingVoid(
          this.attempts,
          tx,
          match.attempt,
          pspReference,
          stored.event.id,
          now,
        );
        if (voidAttempt) paymentAttemptsTotal.inc({ operation: 'authorize', outcome: 'voided' });
        this.logger.warn(
          `${match.attempt.id} failed but ${n.provider} reports it authorized (${pspReference}): voiding it`,
        );
        await this.record(
          tx,
          stored,
          'ignored',
          `late authorization of failed ${match.attempt.id}: void scheduled`,
          now,
        );
        return true;
      }
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
        operationPspReference: attempt.operation === 'refund' ? n.psp_reference : undefined,
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
