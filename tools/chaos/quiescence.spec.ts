import { isQuiet, partitionLag, type QuiescenceSnapshot } from './quiescence';

const quiet: QuiescenceSnapshot = {
  outbox: { intents: 0, ledger: 0 },
  consumerLag: { 'chaos.ledger': 0 },
  attemptsDue: 0,
  attemptsOpen: 0,
  deliveriesDue: 0,
  simulatorWebhooks: 0,
  clocksAdvancing: 0,
  errors: [],
};

describe('quiescence', () => {
  it('is quiet only when every outbox, lag, scheduler, clock and the simulator queue are empty and all was readable', () => {
    expect(isQuiet(quiet)).toBe(true);
    expect(isQuiet({ ...quiet, outbox: { intents: 1 } })).toBe(false);
    expect(isQuiet({ ...quiet, consumerLag: { g: 3 } })).toBe(false);
    expect(isQuiet({ ...quiet, attemptsDue: 1 })).toBe(false);
    // An attempt waiting for its webhook or its next retrieve is not due, and not settled either.
    expect(isQuiet({ ...quiet, attemptsOpen: 1 })).toBe(false);
    expect(isQuiet({ ...quiet, deliveriesDue: 1 })).toBe(false);
    expect(isQuiet({ ...quiet, simulatorWebhooks: 2 })).toBe(false);
    // A clock still advancing has payments or dunning's retries left to run.
    expect(isQuiet({ ...quiet, clocksAdvancing: 1 })).toBe(false);
    expect(isQuiet({ ...quiet, errors: ['outbox: connection refused'] })).toBe(false);
  });

  it('counts lag from the committed offset, or from the start when nothing is committed', () => {
    expect(partitionLag('10', '0', '15')).toBe(5);
    expect(partitionLag('15', '0', '15')).toBe(0);
    expect(partitionLag('-1', '3', '15')).toBe(12);
  });
});
