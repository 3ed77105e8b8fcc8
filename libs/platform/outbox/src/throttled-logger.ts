import { Logger } from '@nestjs/common';

/**
 * Logs a recurring condition once, then at most once per interval with the count of repeats in
 * between, so an outage of an hour is a few plain lines rather than one per retry.
 */
export class ThrottledLogger {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  warn(key: string, message: string): void {
    const now = this.nowMs();
    const seen = this.last.get(key);
    if (seen && now - seen.atMs < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const repeats = seen?.suppressed ? ` (${seen.suppressed} more since the last report)` : '';
    this.last.set(key, { atMs: now, suppressed: 0 });
    this.logger.warn(`${message}${repeats}`);
  }

  /** The condition is over: the next occurrence is reported at once. */
  clear(key: string): void {
    this.last.delete(key);
  }
}
