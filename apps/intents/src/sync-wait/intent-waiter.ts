/**
 * One request waiting for changes of one intent. A notification that arrives while nobody is
 * awaiting `next()` is remembered, so a change between two reads is never missed.
 */
export class IntentWaiter {
  private pending = false;
  private wake: (() => void) | null = null;

  constructor(
    readonly intentId: string,
    private readonly onDispose: (waiter: IntentWaiter) => void,
  ) {}

  /** The intent changed (or notifications may have been lost): the waiter should read it again. */
  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Resolves with `changed` on the next notification, or `timeout` after `ms`. */
  next(ms: number): Promise<'changed' | 'timeout'> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve('changed');
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve('timeout');
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        this.pending = false;
        resolve('changed');
      };
    });
  }

  dispose(): void {
    this.wake?.();
    this.onDispose(this);
  }
}
