import { Injectable } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';

export type NotificationEvent = EventOf<'psp.notification_received'>;

export interface StoredNotification {
  id: number;
  event: NotificationEvent;
}

export type NotificationStatus = 'pending' | 'applied' | 'ignored';

/** All SQL on `psp_notifications`: every notification received, pending until decided. */
@Injectable()
export class PspNotificationsRepository {
  /** Stores a notification; null when this PSP event was stored before (a duplicate delivery). */
  async insert(tx: Tx, event: NotificationEvent, now: Date): Promise<StoredNotification | null> {
    const n = event.data;
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO psp_notifications (provider, psp_event_id, event_id, kind, success, psp_reference, intent_id, attempt_id, refund_id,
                                      amount, currency, status, event, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13)
       ON CONFLICT (provider, psp_event_id) DO NOTHING
       RETURNING id`,
      [
        n.provider,
        n.psp_event_id,
        event.id,
        n.kind,
        n.success,
        n.psp_reference,
        n.intent_id ?? null,
        n.attempt_id ?? null,
        n.refund_id ?? null,
        n.amount,
        n.currency,
        JSON.stringify(event),
        now,
      ],
    );
    return rows.length ? { id: Number(rows[0].id), event } : null;
  }

  /**
   * Pending notifications about an intent, one of its attempts (Adyen may name only the attempt),
   * or any of its PSP references, oldest first, locked.
   */
  async lockPending(tx: Tx, intentId: string, references: readonly string[]): Promise<StoredNotification[]> {
    const rows: { id: string; event: NotificationEvent }[] = await tx.query(
      `SELECT id, event FROM psp_notifications
        WHERE status = 'pending'
          AND (intent_id = $1 OR psp_reference = ANY($2::text[])
               OR attempt_id IN (SELECT id FROM attempts WHERE intent_id = $1))
        ORDER BY id FOR UPDATE`,
      [intentId, references],
    );
    return rows.map((row) => ({ id: Number(row.id), event: row.event }));
  }

  async decide(tx: Tx, id: number, status: NotificationStatus, outcome: string, now: Date): Promise<void> {
    await tx.query(`UPDATE psp_notifications SET status = $2, outcome = $3, decided_at = $4 WHERE id = $1`, [
      id,
      status,
      outcome,
      now,
    ]);
  }
}
