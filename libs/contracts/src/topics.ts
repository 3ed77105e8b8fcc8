/**
 * Kafka topics, one per producing service (DESIGN.md, "Services"). Only the owner publishes to
 * its topic; everyone else subscribes. The `.v1` suffix is the topic's contract version: a change
 * that old consumers cannot read goes to a new topic instead of breaking them in place.
 */
export const TOPICS = {
  intents: 'payflow.intents.v1',
  orchestrator: 'payflow.orchestrator.v1',
  ledger: 'payflow.ledger.v1',
  webhooks: 'payflow.webhooks.v1',
  billing: 'payflow.billing.v1',
  gateway: 'payflow.gateway.v1',
  dunning: 'payflow.dunning.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Every topic, e.g. for the tooling that creates them before services start. */
export const ALL_TOPICS: readonly Topic[] = Object.freeze(Object.values(TOPICS));

/**
 * Partitions per topic. Every event about a payment is keyed by its payment intent id, so this
 * bounds how many consumers of one group work in parallel; it must not change once topics hold
 * data, or keys would move partitions and lose their order.
 */
export const TOPIC_PARTITIONS = 6;

/** Where a consumer parks a message it could not handle after its retries. */
export type DeadLetterTopic<T extends Topic = Topic> = `${T}.dlq`;

/** The dead-letter topic of `topic`: `payflow.intents.v1` → `payflow.intents.v1.dlq`. */
export function deadLetterTopicOf<T extends Topic>(topic: T): DeadLetterTopic<T> {
  return `${topic}.dlq`;
}
