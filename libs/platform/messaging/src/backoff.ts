/**
 * Exponential backoff with "equal jitter": the delay of try `attempt` (1-based) is between half and
 * all of `baseMs · 2^(attempt−1)`, capped at `capMs`, so replicas that failed together do not retry
 * together.
 */
export function jitteredBackoffMs(baseMs: number, attempt: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Sleeps that a stopping component can cut short all at once (close() must not wait out a backoff). */
export class InterruptibleSleeper {
  private readonly sleeping = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.sleeping.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleeping]) wake();
  }
}

/** Resolves true when `work` settles within `ms`, false when the deadline came first (work is left running). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true, () => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
