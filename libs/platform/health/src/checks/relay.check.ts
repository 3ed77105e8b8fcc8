import type { ReadinessCheck } from '../readiness-check';

/** The part of `OutboxRelay` readiness needs: true once its Kafka producer is connected and its loop runs. */
export interface RunningReporter {
  isRunning(): boolean;
}

/**
 * The outbox relay runs (its producer is connected). Leadership is deliberately not required: only
 * one replica leads, and a standby is just as ready to serve requests.
 */
export function relayCheck(relay: RunningReporter): ReadinessCheck {
  return {
    name: 'outbox_relay',
    check: () => relay.isRunning(),
  };
}
