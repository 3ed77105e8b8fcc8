import { refundWatchStep, type RefundWatchInput } from './refund-watch';

const input = (overrides: Partial<RefundWatchInput>): RefundWatchInput => ({
  status: 'succeeded',
  settledAtMs: 0,
  nowMs: 1_000,
  tries: 0,
  watchForMs: 10_000,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  random: () => 1,
  ...overrides,
});

describe('refundWatchStep', () => {
  it('reverses a refund the PSP now says failed or canceled, even past the horizon', () => {
    for (const status of ['failed', 'canceled'] as const) {
      expect(refundWatchStep(input({ status }))).toEqual({ kind: 'reverse' });
      expect(refundWatchStep(input({ status, nowMs: 20_000 }))).toEqual({ kind: 'reverse' });
    }
  });

  it('reads a succeeded, pending or unreadable refund again with backoff until the horizon', () => {
    for (const status of ['succeeded', 'pending', null] as const) {
      expect([0, 1, 2, 3, 4, 5].map((tries) => refundWatchStep(input({ status, tries })))).toEqual(
        [100, 200, 400, 800, 1_000, 1_000].map((delayMs) => ({ kind: 'again', delayMs })),
      );
      expect(refundWatchStep(input({ status, nowMs: 10_000 }))).toEqual({ kind: 'done' });
    }
  });
});
