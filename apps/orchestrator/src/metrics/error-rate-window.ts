/**
 * Calls and failures of one provider in a sliding window, kept as per-second buckets so memory is
 * bounded whatever the traffic. Feeds the `psp_error_rate{provider}` gauge.
 */
export class ErrorRateWindow {
  private readonly buckets = new Map<number, { calls: number; failures: number }>();

  constructor(private readonly windowMs: number) {}

  record(nowMs: number, failed: boolean): void {
    const second = Math.floor(nowMs / 1000);
    const bucket = this.buckets.get(second) ?? { calls: 0, failures: 0 };
    bucket.calls += 1;
    if (failed) bucket.failures += 1;
    this.buckets.set(second, bucket);
    this.prune(nowMs);
  }

  /** Failures / calls in the window; 0 without calls. */
  rate(nowMs: number): number {
    this.prune(nowMs);
    let calls = 0;
    let failures = 0;
    for (const bucket of this.buckets.values()) {
      calls += bucket.calls;
      failures += bucket.failures;
    }
    return calls === 0 ? 0 : failures / calls;
  }

  private prune(nowMs: number): void {
    const oldest = Math.floor((nowMs - this.windowMs) / 1000);
    for (const second of this.buckets.keys()) if (second <= oldest) this.buckets.delete(second);
  }
}
