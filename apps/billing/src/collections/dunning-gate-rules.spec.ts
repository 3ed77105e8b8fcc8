import { ClockCase, DunningGateFacts, decideDunningGate } from './dunning-gate-rules';

const T = Date.parse('2026-03-02T01:00:00Z');
const HOUR = 3_600_000;
const decidedCase: ClockCase = { invoice: 'in_a', last_failed_attempt: 1, decided: true, retry_due_at_ms: T + 24 * HOUR };
const facts = (over: Partial<DunningGateFacts> = {}): DunningGateFacts => ({
  frozenMs: T,
  cases: [decidedCase],
  syncedMs: T,
  instantAnnounced: true,
  waitingSinceMs: 1_000,
  nowMs: 2_000,
  timeoutMs: 600_000,
  ...over,
});

describe('decideDunningGate', () => {
  it('never holds a clock without a case, synced or not', () => {
    expect(decideDunningGate(facts({ cases: [], syncedMs: null }))).toEqual({ kind: 'pass' });
    expect(decideDunningGate(facts({ cases: [], syncedMs: T - HOUR }))).toEqual({ kind: 'pass' });
  });

  it('passes once every failure is decided, the clock synced to its instant (or later), and no retry due is unrequested', () => {
    expect(decideDunningGate(facts())).toEqual({ kind: 'pass' });
    expect(decideDunningGate(facts({ syncedMs: T + HOUR }))).toEqual({ kind: 'pass' });
    // A retry requested already (in flight, or failed and decided again) has no retry_due_at.
    expect(decideDunningGate(facts({ cases: [{ ...decidedCase, retry_due_at_ms: null }] }))).toEqual({ kind: 'pass' });
  });

  it('(a) waits for the decision on the last failed attempt of each case', () => {
    expect(decideDunningGate(facts({ cases: [{ ...decidedCase, decided: false, last_failed_attempt: 3 }] }))).toEqual({
      kind: 'wait',
      reasons: ['dunning_undecided:in_a#3'],
    });
  });

  it('(b) waits for dunning.clock_synced at the clock instant', () => {
    expect(decideDunningGate(facts({ syncedMs: null }))).toEqual({ kind: 'wait', reasons: ['dunning_clock_sync:2026-03-02T01:00:00.000Z'] });
    expect(decideDunningGate(facts({ syncedMs: T - 1 }))).toMatchObject({ kind: 'wait' });
  });

  it('(b) does not wait for a sync of an instant never announced (a clock that has not stepped yet)', () => {
    expect(decideDunningGate(facts({ syncedMs: null, instantAnnounced: false }))).toEqual({ kind: 'pass' });
    expect(decideDunningGate(facts({ syncedMs: null, instantAnnounced: false, cases: [{ ...decidedCase, decided: false }] }))).toEqual({
      kind: 'wait',
      reasons: ['dunning_undecided:in_a#1'],
    });
  });

  it('(c) waits while a retry due at or before the instant is unrequested; a later one is not due yet', () => {
    expect(decideDunningGate(facts({ cases: [{ ...decidedCase, retry_due_at_ms: T }] }))).toEqual({
      kind: 'wait',
      reasons: ['dunning_retry_due:in_a'],
    });
    expect(decideDunningGate(facts({ cases: [{ ...decidedCase, retry_due_at_ms: T - HOUR }] }))).toMatchObject({ kind: 'wait' });
    expect(decideDunningGate(facts({ cases: [{ ...decidedCase, retry_due_at_ms: T + 1 }] }))).toEqual({ kind: 'pass' });
  });

  it('(d) waits until the final action of a case exhausted is handled, so it applies at that instant', () => {
    const exhausted = { ...decidedCase, retry_due_at_ms: null, final_action_pending: true };
    expect(decideDunningGate(facts({ cases: [exhausted] }))).toEqual({ kind: 'wait', reasons: ['dunning_final_action:in_a'] });
    expect(decideDunningGate(facts({ cases: [{ ...exhausted, final_action_pending: false }] }))).toEqual({ kind: 'pass' });
  });

  it('names at most five invoices per reason, and every kind that holds', () => {
    const cases = Array.from({ length: 7 }, (_, i) => ({ invoice: `in_${i}`, last_failed_attempt: 1, decided: false, retry_due_at_ms: null }));
    const answer = decideDunningGate(facts({ cases, syncedMs: null }));
    expect(answer).toEqual({
      kind: 'wait',
      reasons: [...[0, 1, 2, 3, 4].map((i) => `dunning_undecided:in_${i}#1`), 'dunning_undecided:…', 'dunning_clock_sync:2026-03-02T01:00:00.000Z'],
    });
  });

  it('releases a clock held at one instant longer than TEST_CLOCK_STEP_TIMEOUT_MS, saying what it gave up on', () => {
    const held = facts({ syncedMs: null, waitingSinceMs: 0, nowMs: 600_001 });
    expect(decideDunningGate(held)).toEqual({ kind: 'released', reasons: ['dunning_clock_sync:2026-03-02T01:00:00.000Z'] });
    expect(decideDunningGate({ ...held, nowMs: 600_000 })).toMatchObject({ kind: 'wait' });
    expect(decideDunningGate({ ...held, waitingSinceMs: null })).toMatchObject({ kind: 'wait' });
  });
});
