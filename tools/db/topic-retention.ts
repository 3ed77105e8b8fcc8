import { ConfigResourceTypes, ConfigSource, Kafka } from 'kafkajs';

/**
 * Event topics keep their events: `npm run replay:ledger` rebuilds the book from the intents topic
 * alone, and a consumer that lost its offsets is guarded by what the topic still holds. Retention is
 * therefore set explicitly on every topic bootstrap manages (the broker's default is 7 days):
 * KAFKA_EVENT_RETENTION_MS, default -1 (forever). See docs/decisions.md for the storage it costs.
 */
export const DEFAULT_EVENT_RETENTION_MS = '-1';

/** KAFKA_EVENT_RETENTION_MS: -1 (forever) or a positive number of milliseconds. */
export function eventRetentionMs(env: NodeJS.ProcessEnv = process.env): string {
  const value = env['KAFKA_EVENT_RETENTION_MS']?.trim() || DEFAULT_EVENT_RETENTION_MS;
  if (!/^(-1|[1-9][0-9]*)$/.test(value)) {
    throw new Error(`KAFKA_EVENT_RETENTION_MS must be -1 (forever) or a positive number of milliseconds, not "${value}"`);
  }
  return value;
}

/**
 * Sets retention.ms on topics that exist with another value (created before retention was set, or
 * with an older setting). AlterConfigs replaces a topic's whole dynamic configuration, so the
 * topic's other dynamic entries are sent back unchanged.
 */
export async function applyRetention(kafka: Kafka, topics: string[], retentionMs: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    const changed: string[] = [];
    for (const resource of described.resources) {
      const dynamic = resource.configEntries.filter((entry) => entry.configSource === ConfigSource.TOPIC_CONFIG);
      if (dynamic.find((entry) => entry.configName === 'retention.ms')?.configValue === retentionMs) continue;
      const kept = dynamic
        .filter((entry) => entry.configName !== 'retention.ms' && !entry.isSensitive)
        .map((entry) => ({ name: entry.configName, value: entry.configValue }));
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: resource.resourceName, configEntries: [...kept, { name: 'retention.ms', value: retentionMs }] },
        ],
      });
      changed.push(resource.resourceName);
    }
    return changed;
  } finally {
    await admin.disconnect();
  }
}
