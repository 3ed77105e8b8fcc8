import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { isPspError } from '@payflow/psp';
import type { BreakerSettings } from './breaker-settings';

export type BreakerState = 'closed' | 'half_open' | 'open';

/** `circuit_breaker_state` values. */
export const BREAKER_STATE_GAUGE: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  half_open: 1,
  open: 2,
};

/**
 * What counts against a PSP's health: calls that did not get an answer (not executed, indeterminate).
 * A decline is the PSP working normally, and a request the connector refused to send (an amount it
 * cannot represent, `retryable: false`) says nothing about the PSP either.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  if (!isPspError(error)) return false;
  if (error.errorClass === 'indeterminate') return true;
  return error.errorClass === 'not_executed' && error.retryable;
}

export function isBreakerOpenError(error: unknown): boolean {
  return isBrokenCircuitError(error);
}

/**
 * One provider's circuit breaker: cockatiel's CircuitBreakerPolicy with a ConsecutiveBreaker.
 * Closed → open after `threshold` consecutive failures; open rejects every call (BrokenCircuitError)
 * until `halfOpenAfterMs` passed; then one probe call passes (half-open; concurrent calls wait for
 * its verdict): success closes, failure reopens. cockatiel moves open → half-open only when a call
 * arrives, so routing asks `isAvailable()` (open long enough for a probe) rather than the state.
 */
export class ProviderBreaker {
  readonly policy: CircuitBreakerPolicy;
  private openedAtMs: number | null = null;

  constructor(
    private readonly settings: BreakerSettings,
    onStateChange: (state: BreakerState) => void = () => undefined,
  ) {
    this.policy = circuitBreaker(handleWhen(countsAgainstBreaker), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.threshold),
    });
    // cockatiel stamps its own `openedAt` with Date.now(); so does this (jest's fake timers move both).
    this.policy.onBreak(() => {
      this.openedAtMs = Date.now();
    });
    this.policy.onReset(() => {
      this.openedAtMs = null;
    });
    this.policy.onStateChange((state) => onStateChange(ProviderBreaker.stateName(state)));
  }

  static stateName(state: CircuitState): BreakerState {
    switch (state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half_open';
      default:
        return 'open';
    }
  }

  get state(): BreakerState {
    return ProviderBreaker.stateName(this.policy.state);
  }

  /** Runs `call` through the breaker; rejects with BrokenCircuitError while it is open. */
  execute<T>(call: () => Promise<T>): Promise<T> {
    return this.policy.execute(() => call());
  }

  /** Whether a call may pass now: closed, half-open, or open for long enough to send a probe. */
  isAvailable(nowMs: number = Date.now()): boolean {
    if (this.policy.state === CircuitState.Closed || this.policy.state === CircuitState.HalfOpen) return true;
    if (this.policy.state === CircuitState.Isolated) return false;
    return this.reopensInMs(nowMs) === 0;
  }

  /** How long until an open breaker lets a probe through (0 when it already would). */
  reopensInMs(nowMs: number = Date.now()): number {
    if (this.policy.state !== CircuitState.Open || this.openedAtMs === null) return 0;
    return Math.max(0, this.openedAtMs + this.settings.halfOpenAfterMs - nowMs);
  }
}
