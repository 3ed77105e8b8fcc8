/** How a simulated PSP retries a webhook PayFlow did not accept (see docs/psp.md, "Webhook delivery"). */
export interface WebhookRetryLimits {
  /** Delay before the first retry; it doubles on each further one. */
  baseDelayMs: number;
  /** No retry waits longer than this (before jitter). */
  maxDelayMs: number;
  /** Retries stop this long after the first delivery attempt: Stripe retries for 3 days. */
  spanMs: number;
}

/**
 * The wait after the n-th failed delivery (n ≥ 1): between half and all of
 * `min(maxDelayMs, baseDelayMs · 2^(n−1))` ("equal jitter"), so after an outage the retries of many
 * webhooks spread out instead of arriving together, and none waits less than half the nominal step.
 */
export function webhookRetryDelayMs(failedAttempts: number, limits: WebhookRetryLimits, random: () => number = Math.random): number {
  // 2^n overflows to Infinity for large n; min() keeps it at the cap.
  const nominal = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/**
 * When to try a failed webhook again, or null to give it up: never past `spanMs` after its first
 * delivery attempt. The last retry is pulled in to the span's end rather than skipped, so a webhook
 * is dropped only after a try at (about) the end of its span.
 */
export function nextWebhookRetryDelayMs(
  input: { failedAttempts: number; firstAttemptAtMs: number; nowMs: number },
  limits: WebhookRetryLimits,
  random: () => number = Math.random,
): number | null {
  const deadline = input.firstAttemptAtMs + limits.spanMs;
  if (input.nowMs >= deadline) return null;
  return Math.min(webhookRetryDelayMs(input.failedAttempts, limits, random), deadline - input.nowMs);
}
