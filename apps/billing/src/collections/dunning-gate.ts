import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { Tx, rowsOf } from '@payflow/platform/database';
import { BillingConfig } from '../billing.config';
import { TestClockGate, TestClockGates } from '../test-clocks/test-clock-gates';
import type { TestClockRow } from '../test-clocks/test-clock.row';
import { dunningGateReleasesTotal } from './collections-metrics';
import { ClockCase, decideDunningGate } from './dunning-gate-rules';

/** Decisions whose `due_at` is an instant the clock must stop at. */
const TIMED_DECISIONS = ['retry_scheduled', 'wait_for_payment_method'];

/**
 * The test clock saga's dunning gate (DESIGN.md "Time"; docs/dunning.md "Billing's side"),
 * registered in TestClockGates unless BILLING_DUNNING_GATE is off. At every step it reads the
 * clock's cases — open invoices with a failed attempt, first invoices excluded — and holds the
 * clock while `decideDunningGate` says so: a decision missing, the clock not synced by dunning to
 * this instant, a retry due and not requested. It gives the saga the instants dunning scheduled
 * (`nextInstant`: a retry's `due_at`, or the day a case waiting for a card gives up), so an advance
 * of 30 days stops at every retry in order. Past TEST_CLOCK_STEP_TIMEOUT_MS at one instant it lets
 * the clock go (logged once per instant, `billing_dunning_gate_releases_total`).
 */
@Injectable()
export class DunningGate implements TestClockGate, OnModuleInit {
  readonly name = 'dunning';
  private readonly logger = new Logger(DunningGate.name);
  /** `clock@instant` already logged as released. */
  private readonly released = new Set<string>();

  constructor(
    private readonly gates: TestClockGates,
    private readonly config: BillingConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (this.config.BILLING_DUNNING_GATE) this.gates.register(this);
    else this.logger.warn('BILLING_DUNNING_GATE is off: test clocks do not wait for dunning');
  }

  async waitingFor(tx: Tx, clock: TestClockRow): Promise<string[]> {
    const cases = await this.casesOf(tx, clock);
    if (cases.length === 0) return [];
    const answer = decideDunningGate({
      frozenMs: clock.frozen_time.getTime(),
      cases,
      syncedMs: await this.syncedMs(tx, clock.id),
      instantAnnounced: clock.version > 0,
      waitingSinceMs: clock.waiting_since?.getTime() ?? null,
      nowMs: this.clock.nowMs(),
      timeoutMs: this.config.TEST_CLOCK_STEP_TIMEOUT_MS,
    });
    switch (answer.kind) {
      case 'pass':
        return [];
      case 'wait':
        return answer.reasons;
      case 'released':
        this.reportRelease(clock, answer.reasons);
        return [];
    }
  }

  /** The earliest retry (or end of a wait for a card) of the clock's open cases after its time, up to `upTo`. */
  async nextInstant(tx: Tx, clock: TestClockRow, upTo: Date): Promise<Date | null> {
    const [row] = rowsOf<{ next: Date | null }>(
      await tx.query(
        `SELECT min(d.due_at) AS next
           FROM dunning_decisions d JOIN invoices i ON i.id = d.invoice_id
          WHERE d.test_clock_id = $1 AND d.due_at > $2 AND d.due_at <= $3 AND d.decision = ANY($4::text[])
            AND i.status = 'open' AND i.attempt_count = d.attempt AND NOT i.payment_pending`,
        [clock.id, clock.frozen_time, upTo, TIMED_DECISIONS],
      ),
    );
    return row?.next ? new Date(row.next) : null;
  }

  /** The clock's cases, each with whether its last failure is decided and its unrequested retry's instant. */
  private async casesOf(tx: Tx, clock: TestClockRow): Promise<ClockCase[]> {
    const rows = rowsOf<{
      id: string;
      last_failed_attempt: number;
      decided: boolean;
      retry_due_at: Date | null;
      final_action_pending: boolean;
    }>(
      await tx.query(
        `SELECT i.id, i.last_failed_attempt,
                EXISTS (SELECT 1 FROM dunning_decisions f
                         WHERE f.invoice_id = i.id AND f.attempt = i.last_failed_attempt) AS decided,
                EXISTS (SELECT 1 FROM dunning_decisions x
                         WHERE x.invoice_id = i.id AND x.attempt = i.last_failed_attempt AND x.decision = 'exhausted')
                  AND NOT EXISTS (SELECT 1 FROM dunning_final_actions a WHERE a.invoice_id = i.id) AS final_action_pending,
                (SELECT d.due_at FROM dunning_decisions d
                  WHERE d.invoice_id = i.id AND d.attempt = i.attempt_count AND d.decision = 'retry_scheduled'
                    AND NOT i.payment_pending) AS retry_due_at
           FROM invoices i
          WHERE i.test_clock_id = $1 AND i.status = 'open' AND i.last_failed_attempt > 0
            AND i.billing_reason <> 'subscription_create'
          ORDER BY i.id`,
        [clock.id],
      ),
    );
    return rows.map((row) => ({
      invoice: row.id,
      last_failed_attempt: Number(row.last_failed_attempt),
      decided: Boolean(row.decided),
      retry_due_at_ms: row.retry_due_at ? new Date(row.retry_due_at).getTime() : null,
      final_action_pending: Boolean(row.final_action_pending),
    }));
  }

  private async syncedMs(tx: Tx, clockId: string): Promise<number | null> {
    const [row] = rowsOf<{ frozen_time: Date }>(
      await tx.query(`SELECT frozen_time FROM dunning_clock_syncs WHERE test_clock_id = $1`, [clockId]),
    );
    return row ? new Date(row.frozen_time).getTime() : null;
  }

  private reportRelease(clock: TestClockRow, reasons: readonly string[]): void {
    const key = `${clock.id}@${clock.frozen_time.toISOString()}`;
    if (this.released.has(key)) return;
    if (this.released.size > 1_000) this.released.clear();
    this.released.add(key);
    dunningGateReleasesTotal.inc();
    this.logger.warn(
      `test clock ${clock.id} held at ${clock.frozen_time.toISOString()} by dunning longer than ` +
        `TEST_CLOCK_STEP_TIMEOUT_MS=${this.config.TEST_CLOCK_STEP_TIMEOUT_MS}: going on without it (${reasons.join(', ')})`,
    );
  }
}
