/**
 * Every read of the current time goes through a Clock, so tests can move time (authorization
 * expiry, retry schedules, billing periods) without sleeping.
 */
export abstract class Clock {
  abstract now(): Date;

  nowMs(): number {
    return this.now().getTime();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until a test moves it. */
export class TestClock extends Clock {
  private currentMs: number;

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    super();
    this.currentMs = start.getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  set(to: Date): void {
    this.currentMs = to.getTime();
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a TestClock only moves forward');
    this.currentMs += ms;
  }
}
