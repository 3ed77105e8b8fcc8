import { Injectable } from '@nestjs/common';
import type { Tx } from '@payflow/platform/database';
import type { TestClockRow } from './test-clock.row';

/**
 * What else holds an advancing clock at its instant, or makes it stop at an instant, besides its
 * own scheduled work. The saga asks every registered gate at every step, under the clock's lock.
 *
 * Dunning's gate (issue 12, `collections/dunning-gate.ts`): dunning's retries scheduled on a clock
 * (`dunning.decided` with `due_at`) are instants the clock must stop at (`nextInstant`), and the
 * clock must wait until dunning has decided every failure and synced the clock
 * (`dunning.clock_synced` for its frozen_time) before moving on (`waitingFor`). A module registers
 * its gate in `onModuleInit`.
 */
export interface TestClockGate {
  /** Names the gate in reasons and logs, e.g. `payments`, `dunning`. */
  readonly name: string;

  /** Why the clock must stay at `clock.frozen_time` (each reason short and specific); empty: nothing. */
  waitingFor(tx: Tx, clock: TestClockRow): Promise<string[]>;

  /** The earliest instant after `clock.frozen_time` and at most `upTo` the clock must stop at, if any. */
  nextInstant?(tx: Tx, clock: TestClockRow, upTo: Date): Promise<Date | null>;
}

/** Most invoice ids named in one wait reason list (the rest are counted). */
const LISTED_PENDING = 5;

/**
 * Every payment requested at this instant has its answer: no invoice of the clock has
 * `payment_pending` (set by finalization with `invoice.payment_requested`, cleared by any answer:
 * captured, failed, or `invoice.payment_request_rejected`).
 */
export const paymentsAnsweredGate: TestClockGate = {
  name: 'payments',
  async waitingFor(tx, clock) {
    const rows = (await tx.query(
      `SELECT id FROM invoices WHERE test_clock_id = $1 AND payment_pending ORDER BY id LIMIT $2`,
      [clock.id, LISTED_PENDING + 1],
    )) as { id: string }[];
    const reasons = rows.slice(0, LISTED_PENDING).map((row) => `payment_pending:${row.id}`);
    if (rows.length > LISTED_PENDING) reasons.push('payment_pending:…');
    return reasons;
  },
};

/** The registered gates (payments built in; dunning adds its own). */
@Injectable()
export class TestClockGates {
  private readonly gates: TestClockGate[] = [paymentsAnsweredGate];

  register(gate: TestClockGate): void {
    if (this.gates.some((g) => g.name === gate.name))
      throw new Error(`test clock gate ${gate.name} registered twice`);
    this.gates.push(gate);
  }

  list(): readonly TestClockGate[] {
    return this.gates;
  }
}
