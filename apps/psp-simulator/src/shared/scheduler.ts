import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Things a simulated PSP does later by itself: a capture or refund that succeeded failing
 * afterwards, as the acquirer or the card's bank answers. Every timer is cleared at shutdown, so
 * none outlives the app.
 */
@Injectable()
export class Scheduler implements BeforeApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  after(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
