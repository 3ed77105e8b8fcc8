import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import type { CardAuthorization } from './budget-rules';

/** One authorization of a card PayFlow saw, as the budgets count it. */
export interface AuthorizationRecord {
  merchant_id: string;
  /** null: a merchant's own payment (no invoice), which counts for every customer giving the card. */
  customer_id: string | null;
  payment_method: string;
  /** On the customer's clock. */
  at: Date;
  approved: boolean;
  network: string | null;
  invoice_id: string | null;
  payment_intent: string | null;
  /** The event that told it: the same event twice is one authorization. */
  source_event_id: string;
}

/** The card a budget belongs to: as the customer gave it (merchant, customer, payment method). */
export interface CardKey {
  merchant_id: string;
  customer_id: string;
  payment_method: string;
  /**
   * Whether the merchant's own payments (customer NULL, wall-clock times) count: for a customer on
   * the wall clock yes; a test clock's customer lives on another timeline, where they mean nothing.
   */
  on_wall_clock: boolean;
}

/** Older authorizations than this before the decision cannot be in any window the rules look at. */
const LOOKBACK_MS = 31 * 86_400_000;

/**
 * The budgets' store: every authorization of a card PayFlow saw (DESIGN.md "Collections and
 * dunning": dunning's own and others'), read back as the pure rules take them (unix seconds).
 */
@Injectable()
export class CardAuthorizations {
  constructor(private readonly clock: Clock) {}

  /** Records one authorization; false when its source event was already recorded. */
  async record(tx: Queryable, authorization: AuthorizationRecord): Promise<boolean> {
    const result = await tx.query(
      `INSERT INTO card_authorizations (merchant_id, customer_id, payment_method, at, approved, network, invoice_id,
                                        payment_intent, source_event_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (source_event_id) DO NOTHING
       RETURNING id`,
      [
        authorization.merchant_id,
        authorization.customer_id,
        authorization.payment_method,
        authorization.at,
        authorization.approved,
        authorization.network,
        authorization.invoice_id,
        authorization.payment_intent,
        authorization.source_event_id,
        this.clock.now(),
      ],
    );
    return rowsOf(result).length > 0;
  }

  /** The card's authorizations since a month before `now` (the rules' longest window), any order. */
  async cardOf(tx: Queryable, card: CardKey, now: Date): Promise<CardAuthorization[]> {
    const rows = rowsOf<{ at: Date; approved: boolean }>(
      await tx.query(
        `SELECT at, approved FROM card_authorizations
          WHERE merchant_id = $1 AND payment_method = $2 AND at >= $5
            AND (customer_id = $3 OR (customer_id IS NULL AND $4::boolean))`,
        [card.merchant_id, card.payment_method, card.customer_id, card.on_wall_clock, new Date(now.getTime() - LOOKBACK_MS)],
      ),
    );
    return rows.map((row) => ({ at: toSeconds(row.at), approved: row.approved }));
  }
}

/** Unix seconds (the pure rules' unit), rounded down. */
export function toSeconds(at: Date): number {
  return Math.floor(new Date(at).getTime() / 1000);
}
