import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { IntentsConfig } from '../intents.config';
import { providerOf, readIntentRow } from '../payment-intents/payment-intent.row';
import { Cause } from '../state-machine/cause';
import { intentEvent } from '../state-machine/intent-events';
import { intentExpiredTotal } from '../state-machine/intent-metrics';
import { IntentTransitions } from '../state-machine/intent-transitions';

export const EXPIRED_REASON = 'expired';

const EXPIRY_CAUSE: Cause = { kind: 'scheduler', name: 'authorization-expiry' };

/**
 * Authorization expiry (DESIGN.md: AUTHORIZATION_TTL, default 7 days). An `authorized` intent past
 * its `authorization_expires_at` (set from the Clock when the authorization was applied) moves to
 * `canceling` with `payment_intent.cancel_requested` reason `expired`; the orchestrator voids it at
 * the PSP and its `payment.canceled` makes the intent `canceled` like any cancel.
 */
@Injectable()
export class AuthorizationExpiry {
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: IntentTransitions,
    private readonly clock: Clock,
    config: IntentsConfig,
  ) {
    this.batchSize = config.EXPIRY_BATCH_SIZE;
  }

  /**
   * One pass: at most `limit` expired authorizations, in one short transaction. SKIP LOCKED lets
   * several replicas (or a request holding one intent's lock) run beside it without waiting.
   * Returns how many were voided; tests call it directly with a TestClock.
   */
  async expireDue(limit = this.batchSize): Promise<number> {
    const now = this.clock.now();
    return inTransaction(this.dataSource, async (tx) => {
      const rows: Record<string, unknown>[] = await tx.query(
        `SELECT * FROM payment_intents
          WHERE status = 'authorized' AND authorization_expires_at <= $1
          ORDER BY authorization_expires_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      for (const intent of rows.map(readIntentRow)) {
        const decision = this.transitions.decide(intent, 'expire');
        if (!decision.allowed) continue;
        const provider = providerOf(intent);
        await this.transitions.write(tx, intent, {
          trigger: 'expire',
          to: decision.to,
          cause: EXPIRY_CAUSE,
          changes: { cancellation_reason: EXPIRED_REASON },
          events: (after) => [
            intentEvent(
              'payment_intent.cancel_requested',
              after,
              { provider, reason: EXPIRED_REASON },
              EXPIRY_CAUSE,
              now,
            ),
          ],
        });
      }
      intentExpiredTotal.inc(rows.length);
      return rows.length;
    });
  }
}
