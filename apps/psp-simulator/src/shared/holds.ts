import type { Response } from 'express';

/**
 * Timed waits the simulator uses to answer late (latency, timeouts, slow test cards). A wait ends
 * early when the client hangs up (its timeout fired, so holding longer is pointless) or when the
 * simulator shuts down, so no timer outlives the app.
 */
export class Holds {
  private readonly pending = new Set<() => void>();

  wait(ms: number, res?: Response): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        res?.off('close', finish);
        this.pending.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      res?.on('close', finish);
      this.pending.add(finish);
    });
  }

  releaseAll(): void {
    for (const finish of [...this.pending]) finish();
  }
}
