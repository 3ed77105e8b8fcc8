import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { EventEnvelope, Topic, deadLetterTopicOf, validateEvent } from '@payflow/contracts';
import { Clock, SystemClock } from '@payflow/platform/clock';
import { consumerDeadLetteredTotal, consumerProcessedTotal } from '@payflow/platform/observability';
import { BATCH_PATTERN_PREFIX } from './batch-event-pattern';
import { InboxContext } from './inbox-context';
import { InboxStore } from './inbox-store';

export type EventValidator = (
  raw: unknown,
) => { ok: true; event: EventEnvelope } | { ok: false; errors: string[] };

export interface KafkaInboxOptions {
  kafka: Kafka;
  /** Consumer name: the Kafka group id and the inbox's `consumer` column. */
  consumer: string;
  /** Logical topics (libs/contracts); the transport adds `topicPrefix` on the wire. */
  topics: string[];
  /** Environment prefix of topics and the group id (KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  dataSource: DataSource;
  /** Schema holding this service's inbox table. */
  schema: string;
  /** Tries per message before it goes to the dead-letter topic. */
  maxAttempts?: number;
  retryBackoffMs?: number;
  /** Most messages applied in one transaction. */
  maxChunkSize?: number;
  partitionsConsumedConcurrently?: number;
  inboxRetentionHours?: number;
  validate?: EventValidator;
  clock?: Clock;
}

type Parsed = { message: KafkaMessage; event: EventEnvelope } | { message: KafkaMessage; error: string };

const tracer = trace.getTracer('payflow.messaging');
const headerGetter = {
  keys: (carrier: IHeaders) => Object.keys(carrier),
  get: (carrier: IHeaders, key: string) => carrier[key]?.toString(),
};

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A NestJS transport over kafkajs that gives every `@EventPattern(type)` handler exactly-once
 * effects: each chunk of a Kafka batch is applied in one database transaction together with its
 * `(consumer, event_id)` inbox rows (duplicates skipped), and offsets are committed only after that
 * transaction commits (resolved per chunk, committed on an interval and on shutdown). A chunk that fails is replayed one message per transaction, each retried with
 * backoff; a message that still fails, or does not validate against its contract, goes to the
 * topic's dead-letter topic with the error in its headers, and the consumer moves on.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  private readonly consumerClient: Consumer;
  private readonly deadLetters: Producer;
  private readonly inbox: InboxStore;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: number;
  private readonly maxChunkSize: number;
  private readonly validate: EventValidator;
  private readonly clock: Clock;
  private assigned = false;
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: KafkaInboxOptions) {
    super();
    this.consumerClient = options.kafka.consumer({
      groupId: `${options.topicPrefix ?? ''}${options.consumer}`,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
    });
    this.deadLetters = options.kafka.producer({ allowAutoTopicCreation: false });
    this.inbox = new InboxStore(options.schema, options.consumer);
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? 200;
    this.maxChunkSize = options.maxChunkSize ?? 500;
    this.validate = options.validate ?? validateEvent;
    this.clock = options.clock ?? new SystemClock();
    this.consumerClient.on(this.consumerClient.events.GROUP_JOIN, () => {
      this.assigned = true;
    });
    this.consumerClient.on(this.consumerClient.events.CRASH, () => {
      this.assigned = false;
    });
  }

  /** True once the group has been joined and partitions assigned (readiness). */
  isReady(): boolean {
    return this.assigned;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.deadLetters.connect();
      await this.consumerClient.connect();
      // A group with no committed offset starts from the beginning: nothing published earlier is skipped.
      const topics = this.options.topics.map((topic) => `${this.options.topicPrefix ?? ''}${topic}`);
      await this.consumerClient.subscribe({ topics, fromBeginning: true });
      await this.consumerClient.run({
        // kafkajs commits only offsets we resolved, and we resolve a chunk's offsets only after its
        // transaction committed; committing them on an interval (and on stop) instead of after
        // every chunk saves a broker round trip per batch. A crash redelivers at most one interval,
        // which the inbox skips.
        autoCommit: true,
        autoCommitInterval: 500,
        eachBatchAutoResolve: false,
        // Partitions are independent (order is per key), so all of them are applied in parallel.
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
        eachBatch: (payload) => this.consumeBatch(payload),
      });
      this.schedulePruning();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops fetching, lets the batch in flight finish and commit, then disconnects. */
  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.assigned = false;
    await this.consumerClient.disconnect();
    await this.deadLetters.disconnect();
  }

  on(): void {
    throw new Error('KafkaInboxServer does not emit events; use isReady() for readiness');
  }

  unwrap<T>(): T {
    return this.consumerClient as T;
  }

  private async consumeBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const logicalTopic = topic.slice((this.options.topicPrefix ?? '').length);
    for (let start = 0; start < batch.messages.length; start += this.maxChunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + this.maxChunkSize);
      const completed = await this.applyChunk(topic, logicalTopic, partition, chunk, heartbeat, isRunning);
      if (!completed) return;
      resolveOffset(chunk[chunk.length - 1].offset);
      await heartbeat();
    }
  }

  /** Applies a chunk; false if the consumer was stopped before it finished (it will be redelivered). */
  private async applyChunk(
    topic: string,
    logicalTopic: string,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<boolean> {
    const parsed = messages.flatMap((message) => this.parseIfHandled(logicalTopic, message));
    for (const item of parsed) {
      if ('error' in item) await this.deadLetter(topic, partition, item.message, item.error, 0, 'invalid');
    }
    const valid = parsed.filter(
      (item): item is { message: KafkaMessage; event: EventEnvelope } => 'event' in item,
    );
    if (valid.length === 0) return true;
    try {
      await this.applyInTransaction(topic, logicalTopic, partition, valid);
      return true;
    } catch {
      // Something in the chunk failed: find which by applying one message per transaction.
    }
    for (const item of valid) {
      const done = await this.applyWithRetries(topic, logicalTopic, partition, item, heartbeat, isRunning);
      if (!done) return false;
    }
    return true;
  }

  private async applyWithRetries(
    topic: string,
    logicalTopic: string,
    partition: number,
    item: { message: KafkaMessage; event: EventEnvelope },
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.applyInTransaction(topic, logicalTopic, partition, [item]);
        return true;
      } catch (error) {
        if (attempt >= this.maxAttempts) {
          this.logger.error(
            `${this.options.consumer}: ${item.event.type} ${item.event.id} failed ${attempt} times: ${describeError(error)}`,
          );
          await this.deadLetter(topic, partition, item.message, describeError(error), attempt, 'failed');
          return true;
        }
        await heartbeat();
        if (!isRunning()) return false;
        await this.backoff(attempt);
      }
    }
  }

  private async applyInTransaction(
    topic: string,
    logicalTopic: string,
    partition: number,
    items: { message: KafkaMessage; event: EventEnvelope }[],
  ): Promise<void> {
    const batchHandler = this.getHandlerByPattern(`${BATCH_PATTERN_PREFIX}${logicalTopic}`);
    const lastOffset = items[items.length - 1].message.offset;
    let fresh: EventEnvelope[] = [];
    await this.options.dataSource.transaction('READ COMMITTED', async (tx) => {
      fresh = await this.inbox.claim(
        tx,
        items.map((item) => item.event),
      );
      if (fresh.length === 0) return;
      const meta = { topic, partition, offset: lastOffset, consumer: this.options.consumer };
      if (batchHandler) {
        await this.invoke(batchHandler, fresh, new InboxContext([tx, meta]));
        return;
      }
      for (const item of items) {
        if (!fresh.includes(item.event)) continue;
        const handler = this.getHandlerByPattern(item.event.type) as MessageHandler;
        const parent = propagation.extract(otelContext.active(), item.message.headers ?? {}, headerGetter);
        await otelContext.with(parent, () =>
          tracer.startActiveSpan(`consume ${item.event.type}`, async (span) => {
            try {
              await this.invoke(
                handler,
                item.event,
                new InboxContext([tx, { ...meta, offset: item.message.offset }]),
              );
            } finally {
              span.end();
            }
          }),
        );
      }
    });
    consumerProcessedTotal.inc({ consumer: this.options.consumer, topic, outcome: 'applied' }, fresh.length);
    consumerProcessedTotal.inc(
      { consumer: this.options.consumer, topic, outcome: 'duplicate' },
      items.length - fresh.length,
    );
  }

  private async invoke(handler: MessageHandler, data: unknown, ctx: InboxContext): Promise<void> {
    const result = await handler(data, ctx);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  /** Whether a handler of this consumer takes events of `type` on `topic`. */
  private handles(topic: string, type: unknown): boolean {
    const batchHandler = this.getHandlerByPattern(`${BATCH_PATTERN_PREFIX}${topic}`);
    if (batchHandler) {
      const types = (batchHandler.extras as { types?: readonly string[] } | undefined)?.types;
      return !types || types.includes(type as string);
    }
    return typeof type === 'string' && this.getHandlerByPattern(type) !== null;
  }

  /**
   * Parses a message and validates it against its contract, but only if this consumer handles its
   * type: events nobody here handles are acknowledged without validation or an inbox row. A value
   * that is not JSON cannot say its type and is dead-lettered.
   */
  private parseIfHandled(topic: string, message: KafkaMessage): Parsed[] {
    let raw: unknown;
    try {
      raw = JSON.parse(message.value?.toString() ?? '');
    } catch {
      return [{ message, error: 'value is not JSON' }];
    }
    if (!this.handles(topic, (raw as { type?: unknown } | null)?.type)) return [];
    const result = this.validate(raw);
    return [result.ok ? { message, event: result.event } : { message, error: result.errors.join('; ') }];
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: string,
    attempts: number,
    reason: 'invalid' | 'failed',
  ): Promise<void> {
    await this.deadLetters.send({
      topic: deadLetterTopicOf(topic as Topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-error': error.slice(0, 2_000),
            'dlq-reason': reason,
            'dlq-attempts': String(attempts),
            'dlq-consumer': this.options.consumer,
            'dlq-original-topic': topic,
            'dlq-original-partition': String(partition),
            'dlq-original-offset': message.offset,
          },
        },
      ],
    });
    consumerDeadLetteredTotal.inc({ consumer: this.options.consumer, topic, reason });
  }

  private backoff(attempt: number): Promise<void> {
    const delayMs = Math.min(this.retryBackoffMs * 2 ** (attempt - 1), 10_000) * (0.5 + Math.random() / 2);
    return new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  private schedulePruning(): void {
    const retentionMs = (this.options.inboxRetentionHours ?? 72) * 3_600_000;
    this.pruneTimer = setInterval(() => {
      this.inbox
        .prune(this.options.dataSource, new Date(this.clock.nowMs() - retentionMs))
        .catch((error) => this.logger.warn(`inbox pruning failed: ${describeError(error)}`));
    }, 600_000);
    this.pruneTimer.unref();
  }

  /** Prunes inbox rows older than the retention now (operators, tests). */
  pruneInbox(processedBefore: Date): Promise<number> {
    return this.inbox.prune(this.options.dataSource, processedBefore);
  }
}
