import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import type { Tx } from '@payflow/platform/database';

export interface AuditEntry {
  /** What was done, `<object>.<verb>`: `merchant.created`, `merchant.viewed`, `ledger.verified`. */
  action: string;
  /** Who did it: the admin key's short digest (AdminKeyGuard). */
  actor: string;
  /** The object acted on: a merchant id, `ledger`. */
  target: string | null;
  /** What is worth keeping about it: never a secret (no API key, only its display prefix). */
  details: Record<string, unknown>;
  requestId?: string;
}

/**
 * The admin audit log (append-only in SQL). A change records itself in the transaction that makes
 * it, so there is no change without its entry and no entry without its change.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry, tx: Tx | DataSource = this.dataSource): Promise<void> {
    await tx.query(
      `INSERT INTO admin_audit_log (action, actor, target, details, request_id, at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        entry.action,
        entry.actor,
        entry.target,
        JSON.stringify(entry.details),
        entry.requestId ?? null,
        this.clock.now(),
      ],
    );
  }
}
