import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { Tx, inTransaction } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import { BillingConfig } from '../billing.config';
import { ScheduledWork } from '../scheduler/scheduled-work';
import { AdvanceStep, decideAdvanceStep } from './advance-step';
import { testClockAdvancedEvent } from './test-clock-events';
import { TestClockGates } from './test-clock-gates';
import { testClockStepsTotal, testClockWaitTimeoutsTotal, testClockWaiting } from './test-clock-metrics';
import type { TestClockRow } from './test-clock.row';
import { TestClocksRepository } from './test-clocks.repository';

/** What one step did: the decision, or `skipped` when the clock was not ours to step. */
export type StepOutcome =
  | { kind: 'skipped' }
  | { kind: 'wait'; reasons: readonly string[] }
  | { kind: 'finish' }
  | { kind: 'move' | 'run_due'; at: Date; done: number; failed: number };

/** Steps one clock takes in a row before the runner turns to the next clock (fairness). */
const MAX_STEPS_PER_TURN = 200;

/**
 * The advance saga (DESIGN.md "Time"; docs/billing.md "Test clocks and time"), one step at a time.
 * A step claims the clock's row (`FOR UPDATE SKIP LOCKED`: one replica steps a clock at a time,
 * the others pass it by), reads the facts — open work due now, the next due instant, outstanding
 * answers — and does what `decideAdvanceStep` says in that same short transaction: move
 * `frozen_time` (with `test_clock.advanced` in the outbox), keep waiting, or finish (`ready`).
 * The clock's work then runs outside the clock's transaction with `ScheduledWork.runDue`, each row
 * in its own transaction. Every fact is in the database, so a crash anywhere is resumed by the next
 * step of any replica: work due at the current instant is run before the clock moves again.
 */
@Injectable()
export class TestClockAdvance {
  private readonly logger = new Logger(TestClockAdvance.name);
  /** `clock@version` already reported as held too long (the log says it once per instant). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clocks: TestClocksRepository,
    private readonly work: ScheduledWork,
    private readonly gates: TestClockGates,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly config: BillingConfig,
  ) {}

  /** One step of one clock. Tests call it directly to walk a clock without the runner. */
  async step(clockId: string): Promise<StepOutcome> {
    const decided = await inTransaction(this.dataSource, (tx) => this.decide(tx, clockId));
    if (!decided) return { kind: 'skipped' };
    const { step, at } = decided;
    testClockStepsTotal.inc({ kind: step.kind });
    switch (step.kind) {
      case 'wait':
        return { kind: 'wait', reasons: step.reasons };
      case 'finish':
        return { kind: 'finish' };
      case 'move':
      case 'run_due': {
        const summary = await this.work.runDue(clockId, at);
        return { kind: step.kind, at, ...summary };
      }
    }
  }

  /**
   * Steps the clock until it waits, finishes, makes no progress (its due work is failing and backing
   * off, or another replica holds it) or has taken its turn. Returns the last outcome.
   */
  async takeTurn(clockId: string, shouldStop: () => boolean = () => false): Promise<StepOutcome> {
    let outcome: StepOutcome = { kind: 'skipped' };
    for (let i = 0; i < MAX_STEPS_PER_TURN && !shouldStop(); i++) {
      outcome = await this.step(clockId);
      if (outcome.kind === 'skipped' || outcome.kind === 'wait' || outcome.kind === 'finish') return outcome;
      // Work due now that ran nothing is held (backing off after a failure, or a row another
      // replica is running): looping would spin; the next turn looks again.
      if (outcome.kind === 'run_due' && outcome.done === 0) return outcome;
    }
    return outcome;
  }

  /**
   * Advancing clocks held at one instant longer than TEST_CLOCK_STEP_TIMEOUT_MS: sets the gauge and
   * logs each clock once per instant. They keep waiting (answers come; the orchestrator has its own
   * deadlines), this is for a person to look.
   */
  async reportHeldClocks(): Promise<number> {
    const now = this.clock.nowMs();
    const held = await this.clocks.heldSince(
      this.dataSource,
      new Date(now - this.config.TEST_CLOCK_STEP_TIMEOUT_MS),
    );
    testClockWaiting.set(held.length);
    const current = new Set<string>();
    for (const clock of held) {
      const key = `${clock.id}@${new Date(clock.frozen_time).toISOString()}`;
      current.add(key);
      if (this.reported.has(key)) continue;
      testClockWaitTimeoutsTotal.inc();
      this.logger.warn(
        `test clock ${clock.id} has been held at ${new Date(clock.frozen_time).toISOString()} since ` +
          `${new Date(clock.waiting_since).toISOString()} (over TEST_CLOCK_STEP_TIMEOUT_MS=${this.config.TEST_CLOCK_STEP_TIMEOUT_MS}); ` +
          `it keeps waiting for its work and answers`,
      );
    }
    // Forget instants no longer held, so the set stays as small as the gauge.
    for (const key of this.reported) if (!current.has(key)) this.reported.delete(key);
    for (const key of current) this.reported.add(key);
    return held.length;
  }

  private async decide(tx: Tx, clockId: string): Promise<{ step: AdvanceStep; at: Date } | null> {
    const clock = await this.clocks.claimAdvancing(tx, clockId);
    if (!clock || !clock.target_time) return null;
    const target = clock.target_time;
    // What holds the clock is read before where it would go: each statement sees what has committed
    // by then, and a fact that adds an instant first holds the clock (a failure waits for its
    // decision, which brings the retry's instant). Read the other way round, a decision committed
    // between the two reads would release the clock towards an instant computed without its retry.
    const waitingFor = await this.waitingFor(tx, clock);
    const step = decideAdvanceStep({
      frozenMs: clock.frozen_time.getTime(),
      targetMs: target.getTime(),
      dueNow: await this.clocks.hasWorkDue(tx, clock.id, clock.frozen_time),
      nextDueMs: (await this.nextInstant(tx, clock, target))?.getTime() ?? null,
      waitingFor,
    });
    switch (step.kind) {
      case 'run_due':
      case 'wait':
        return { step, at: clock.frozen_time };
      case 'finish':
        await this.clocks.finish(tx, clock.id);
        return { step, at: clock.frozen_time };
      case 'move': {
        const to = new Date(step.toMs);
        const wallNow = this.clock.now();
        const moved = await this.clocks.moveTo(tx, clock.id, to, wallNow);
        await this.outbox.append(tx, testClockAdvancedEvent(moved, wallNow));
        return { step, at: to };
      }
    }
  }

  /** The earliest instant after the clock's time and at most the target: its own work or a gate's. */
  private async nextInstant(tx: Tx, clock: TestClockRow, target: Date): Promise<Date | null> {
    let next = await this.clocks.nextWorkDue(tx, clock.id, clock.frozen_time, target);
    for (const gate of this.gates.list()) {
      const instant = await gate.nextInstant?.(tx, clock, target);
      if (instant && instant > clock.frozen_time && (!next || instant < next)) next = instant;
    }
    return next;
  }

  private async waitingFor(tx: Tx, clock: TestClockRow): Promise<string[]> {
    const reasons: string[] = [];
    for (const gate of this.gates.list()) reasons.push(...(await gate.waitingFor(tx, clock)));
    return reasons;
  }
}
