import { AdvanceFacts, checkAdvance, decideAdvanceStep, isWaitingTooLong } from './advance-step';

const T0 = Date.parse('2026-01-31T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const facts = (over: Partial<AdvanceFacts> = {}): AdvanceFacts => ({
  frozenMs: T0,
  targetMs: T0 + 30 * DAY,
  dueNow: false,
  nextDueMs: null,
  waitingFor: [],
  ...over,
});

describe('decideAdvanceStep', () => {
  it('moves straight to the target when nothing is due on the way', () => {
    expect(decideAdvanceStep(facts())).toEqual({ kind: 'move', toMs: T0 + 30 * DAY });
  });

  it('moves to the earliest due instant before the target', () => {
    expect(decideAdvanceStep(facts({ nextDueMs: T0 + HOUR }))).toEqual({ kind: 'move', toMs: T0 + HOUR });
  });

  it('moves to the target when the next work is due exactly there', () => {
    expect(decideAdvanceStep(facts({ nextDueMs: T0 + 30 * DAY }))).toEqual({
      kind: 'move',
      toMs: T0 + 30 * DAY,
    });
  });

  it('never passes the target for work due after it (a later advance runs it)', () => {
    expect(decideAdvanceStep(facts({ nextDueMs: T0 + 31 * DAY }))).toEqual({
      kind: 'move',
      toMs: T0 + 30 * DAY,
    });
  });

  it('ignores a "next" instant that is not after the clock (it would be due now)', () => {
    expect(decideAdvanceStep(facts({ nextDueMs: T0 }))).toEqual({ kind: 'move', toMs: T0 + 30 * DAY });
    expect(decideAdvanceStep(facts({ nextDueMs: T0 - DAY }))).toEqual({ kind: 'move', toMs: T0 + 30 * DAY });
  });

  it('runs the work due at the current instant before anything else', () => {
    expect(decideAdvanceStep(facts({ dueNow: true, nextDueMs: T0 + HOUR }))).toEqual({
      kind: 'run_due',
      atMs: T0,
    });
    // even while answers are outstanding: it is the same instant, and may request payments itself
    expect(decideAdvanceStep(facts({ dueNow: true, waitingFor: ['payment:in_1'] }))).toEqual({
      kind: 'run_due',
      atMs: T0,
    });
    // and at the target (work scheduled at the target's instant by the last step)
    expect(decideAdvanceStep(facts({ dueNow: true, targetMs: T0 }))).toEqual({ kind: 'run_due', atMs: T0 });
  });

  it('waits for every answer of this instant before moving', () => {
    expect(
      decideAdvanceStep(facts({ waitingFor: ['payment:in_1', 'payment:in_2'], nextDueMs: T0 + HOUR })),
    ).toEqual({
      kind: 'wait',
      reasons: ['payment:in_1', 'payment:in_2'],
    });
  });

  it('waits at the target too: the clock is ready only when every answer is in', () => {
    expect(decideAdvanceStep(facts({ targetMs: T0, waitingFor: ['payment:in_1'] }))).toEqual({
      kind: 'wait',
      reasons: ['payment:in_1'],
    });
  });

  it('finishes at the target with nothing due and nothing outstanding', () => {
    expect(decideAdvanceStep(facts({ targetMs: T0 }))).toEqual({ kind: 'finish' });
    expect(decideAdvanceStep(facts({ targetMs: T0, nextDueMs: T0 + DAY }))).toEqual({ kind: 'finish' });
  });

  it('finishes a clock already past its target (a target at or before frozen_time is never moved back to)', () => {
    expect(decideAdvanceStep(facts({ targetMs: T0 - 1 }))).toEqual({ kind: 'finish' });
  });

  it('refuses non-finite times (a NULL target read as NaN is a bug, not a step)', () => {
    expect(() => decideAdvanceStep(facts({ targetMs: Number.NaN }))).toThrow(RangeError);
    expect(() => decideAdvanceStep(facts({ frozenMs: Number.POSITIVE_INFINITY }))).toThrow(RangeError);
  });

  it('walks 14 months and a day of monthly boundaries and drafts one instant at a time, in order', () => {
    // A simulation of the saga over a schedule: each boundary b schedules its draft's finalization
    // one hour later and the next boundary a month later; payments are answered at once.
    const boundaries = Array.from({ length: 15 }, (_, k) => Date.UTC(2026, k, 15));
    const start = boundaries[0];
    const target = Date.UTC(2027, 2, 16);
    const open = new Set<number>([boundaries[1]]);
    let frozen = start;
    const visited: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const due = [...open].filter((t) => t <= frozen);
      const later = [...open].filter((t) => t > frozen).sort((a, b) => a - b);
      const step = decideAdvanceStep({
        frozenMs: frozen,
        targetMs: target,
        dueNow: due.length > 0,
        nextDueMs: later[0] ?? null,
        waitingFor: [],
      });
      if (step.kind === 'finish') break;
      if (step.kind === 'move') {
        frozen = step.toMs;
        visited.push(frozen);
        continue;
      }
      if (step.kind !== 'run_due') throw new Error(`unexpected ${step.kind}`);
      for (const t of due) {
        open.delete(t);
        const k = boundaries.indexOf(t);
        if (k >= 0) {
          open.add(t + HOUR);
          if (k + 1 < boundaries.length) open.add(boundaries[k + 1]);
        }
      }
    }
    expect(frozen).toBe(target);
    const expected = boundaries.slice(1).flatMap((b) => [b, b + HOUR]);
    expect(visited).toEqual([...expected, target]);
    expect([...visited].sort((a, b) => a - b)).toEqual(visited);
  });
});

describe('checkAdvance', () => {
  it('accepts a later time', () => {
    expect(checkAdvance({ status: 'ready', frozenMs: T0 }, T0 + 1)).toBeNull();
  });

  it.each([
    ['the same time', T0],
    ['an earlier time', T0 - 1],
    ['NaN', Number.NaN],
  ])('refuses %s (400 frozen_time)', (_what, requested) => {
    expect(checkAdvance({ status: 'ready', frozenMs: T0 }, requested)).toBe('not_later');
  });

  it('refuses any time while advancing (409), before looking at the time', () => {
    expect(checkAdvance({ status: 'advancing', frozenMs: T0 }, T0 + DAY)).toBe('advancing');
    expect(checkAdvance({ status: 'advancing', frozenMs: T0 }, T0 - DAY)).toBe('advancing');
  });
});

describe('isWaitingTooLong', () => {
  it('counts a clock waiting longer than the timeout, not one waiting exactly as long', () => {
    expect(isWaitingTooLong(T0, T0 + 600_000, 600_000)).toBe(false);
    expect(isWaitingTooLong(T0, T0 + 600_001, 600_000)).toBe(true);
  });

  it('never counts a clock that is not waiting', () => {
    expect(isWaitingTooLong(null, T0 + DAY, 600_000)).toBe(false);
  });
});
