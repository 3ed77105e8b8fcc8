import { nextWebhookRetryDelayMs, webhookRetryDelayMs } from './webhook-retry-policy';

const limits = { baseDelayMs: 1_000, maxDelayMs: 60_000, spanMs: 3 * 24 * 3_600_000 };

describe('webhook retry delays', () => {
  it('doubles from the base, between half and all of the step', () => {
    expect(webhookRetryDelayMs(1, limits, () => 0)).toBe(500);
    expect(webhookRetryDelayMs(1, limits, () => 1)).toBe(1_000);
    expect(webhookRetryDelayMs(2, limits, () => 1)).toBe(2_000);
    expect(webhookRetryDelayMs(4, limits, () => 0.5)).toBe(6_000);
  });

  it('is capped at the maximum delay, however many attempts failed', () => {
    expect(webhookRetryDelayMs(7, limits, () => 1)).toBe(60_000);
    expect(webhookRetryDelayMs(5_000, limits, () => 1)).toBe(60_000);
    expect(webhookRetryDelayMs(5_000, limits, () => 0)).toBe(30_000);
  });

  it('spreads retries with jitter', () => {
    const seen = new Set([0, 0.25, 0.5, 0.75, 1].map((r) => webhookRetryDelayMs(3, limits, () => r)));
    expect(seen.size).toBe(5);
  });
});

describe('how long a webhook is retried', () => {
  it('keeps retrying within the span, long after five attempts', () => {
    const oneDayIn = { failedAttempts: 400, firstAttemptAtMs: 0, nowMs: 24 * 3_600_000 };
    expect(nextWebhookRetryDelayMs(oneDayIn, limits, () => 1)).toBe(60_000);
  });

  it('pulls the last retry in to the end of the span, then gives up', () => {
    const end = limits.spanMs;
    expect(nextWebhookRetryDelayMs({ failedAttempts: 9, firstAttemptAtMs: 0, nowMs: end - 10_000 }, limits, () => 1)).toBe(10_000);
    expect(nextWebhookRetryDelayMs({ failedAttempts: 10, firstAttemptAtMs: 0, nowMs: end }, limits, () => 1)).toBeNull();
    expect(nextWebhookRetryDelayMs({ failedAttempts: 10, firstAttemptAtMs: 0, nowMs: end + 1 }, limits, () => 1)).toBeNull();
  });

  it('a webhooks service down for 40 s is retried at least every maximum delay during the outage', () => {
    const compressed = { baseDelayMs: 100, maxDelayMs: 2_000, spanMs: 600_000 };
    let now = 0;
    let failed = 0;
    const tries: number[] = [];
    while (now < 40_000) {
      failed += 1;
      const delay = nextWebhookRetryDelayMs({ failedAttempts: failed, firstAttemptAtMs: 0, nowMs: now }, compressed, Math.random);
      expect(delay).not.toBeNull();
      expect(delay).toBeLessThanOrEqual(2_000);
      now += delay as number;
      tries.push(now);
    }
    // The first try after the outage comes within one maximum delay of its end.
    expect(tries[tries.length - 1]).toBeLessThanOrEqual(42_000);
  });
});
