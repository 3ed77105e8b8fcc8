import { Counter, Gauge, register } from 'prom-client';

function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const RELAY_STATES = ['starting', 'leader', 'standby', 'failing', 'stopped'] as const;
export type RelayState = (typeof RELAY_STATES)[number];

/** Rows Kafka refused for good (too large, invalid), set aside so the rows behind them go on. */
export const outboxSetAsideTotal = getOrCreate(
  'outbox_set_aside_total',
  () =>
    new Counter({
      name: 'outbox_set_aside_total',
      help: 'Outbox rows set aside because Kafka refused them for good (see outbox.set_aside_reason)',
      labelNames: ['service', 'topic'],
    }),
);

/**
 * 1 for the relay's current state, 0 for the others: `failing` is a leader that cannot publish
 * (Kafka down, a missing topic), which readiness deliberately ignores and alerts should not.
 */
export const outboxRelayState = getOrCreate(
  'outbox_relay_state',
  () =>
    new Gauge({
      name: 'outbox_relay_state',
      help: 'State of the outbox relay (1 for the current one): starting, leader, standby, failing, stopped',
      labelNames: ['service', 'state'],
    }),
);

export function setRelayState(service: string, state: RelayState): void {
  for (const candidate of RELAY_STATES)
    outboxRelayState.set({ service, state: candidate }, candidate === state ? 1 : 0);
}
