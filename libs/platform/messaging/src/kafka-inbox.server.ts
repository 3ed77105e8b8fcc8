import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import { Consumer, ConsumerCrashEvent, ConsumerRunConfig, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { EventEnvelope, Topic, deadLetterTopicOf, validateEvent } from '@payflow/contracts';
import { Clock, SystemClock } from '@payflow/platform/clock';
import { isInfrastructureError } from '@payflow/platform/database';
import {
  consumerDeadLetteredTotal,
  consumerInfrastructureRetriesTotal,
  consumerInfrastructureWaiting,
  consumerProcessedTotal,
  consumerRestartsTotal,
} from '@payflow/platform/observability';
import { InterruptibleSleeper, jitteredBackoffMs, settlesWithin } from './backoff';
import { BATCH_PATTERN_PREFIX } from './batch-event-pattern';
import { ConsumerOffsetStore } from './consumer-offsets';
import { DeadLetterReason, deadLetterMessage, isAddressedTo } from './dead-letter';
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
  /** Schema holding this service's inbox and consumer_offsets tables. */
  schema: string;
  /** Tries per message before it goes to the dead-letter topic; only handler failures count. */
  maxAttempts?: number;
  retryBackoffMs?: number;
  /** Longest wait between two tries while an infrastructure failure lasts (default 5 s). */
  infrastructureBackoffMaxMs?: number;
  /** Default bound of close() (default 5 s). */
  closeTimeoutMs?: number;
  /** Most messages applied in one transaction. */
  maxChunkSize?: number;
  partitionsConsumedConcurrently?: number;
  inboxRetentionHours?: number;
  validate?: EventValidator;
  clock?: Clock;
}

type Parsed = { message: KafkaMessage; event: EventEnvelope } | { message: KafkaMessage; error: string };
type Item = { message: KafkaMessage; event: EventEnvelope };

/** One partition's batch being applied, and what kafkajs lets us do about it. */
interface PartitionScope {
  topic: string;
  logicalTopic: string;
  partition: number;
  heartbeat: () => Promise<void>;
  isRunning: () => boolean;
  isStale: () => boolean;
  /** Whether this scope set consumer_infrastructure_waiting to 1 (so it resets it). */
  waiting: boolean;
}

const tracer = trace.getTracer('payflow.messaging');
const headerGetter = {
  keys: (carrier: IHeaders) => Object.keys(carrier),
  get: (carrier: IHeaders, key: string) => carrier[key]?.toString(),
};

/** Heartbeat answers that mean the group moved on: kafkajs must see them to rejoin. */
const GROUP_CHANGED = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
/** How often a long wait checks whether the consumer is stopping and heartbeats (kafkajs throttles the heartbeat itself). */
const WAIT_SLICE_MS = 250;
const HANDLER_BACKOFF_MAX_MS = 10_000;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A NestJS transport over kafkajs that gives every `@EventPattern(type)` handler exactly-once
 * effects: each chunk of a Kafka batch is applied in one database transaction together with its
 * `(consumer, event_id)` inbox rows (duplicates skipped) and the partition's next offset in
 * `consumer_offsets` (messages below it skipped, so a consumer group whose Kafka offsets were lost
 * applies nothing twice even after the inbox was pruned). Kafka offsets are resolved only after that
 * transaction commits (committed on an interval and on shutdown).
 *
 * Failures come in two kinds (DESIGN.md "Faults", isInfrastructureError):
 * - infrastructure (database or broker unreachable, failover, serialization failure, deadlock): the
 *   partition stays in its batch, heartbeating, and retries with capped jittered backoff for as long
 *   as it takes; never dead-lettered, never counted;
 * - the handler's own (statement and lock timeouts included): the chunk is replayed one message per
 *   transaction, each retried with backoff; one that fails `maxAttempts` times, or does not validate,
 *   goes to the topic's dead-letter topic with the error in its headers, and the consumer moves on.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  private readonly consumerClient: Consumer;
  private readonly deadLetters: Producer;
  private readonly inbox: InboxStore;
  private readonly offsets: ConsumerOffsetStore;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: number;
  private readonly infrastructureBackoffMaxMs: number;
  private readonly maxChunkSize: number;
  private readonly validate: EventValidator;
  private readonly clock: Clock;
  private readonly sleeper = new InterruptibleSleeper();
  /** Partitions assigned since the last join whose stored offset was not compared with Kafka's yet. */
  private readonly uncheckedPartitions = new Set<string>();
  private assigned = false;
  private stopping = false;
  private restarts = 0;
  private pruneTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: KafkaInboxOptions) {
    super();
    this.consumerClient = options.kafka.consumer({
      groupId: `${options.topicPrefix ?? ''}${options.consumer}`,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      retry: {
        retries: 8,
        // kafkajs restarts after a retriable crash only if this says so; a stopping consumer must not.
        restartOnFailure: async (error) => {
          if (this.stopping) return false;
          this.logger.error(`${options.consumer}: Kafka consumer crashed, restarting: ${describeError(error)}`);
          consumerRestartsTotal.inc({ consumer: options.consumer, reason: 'retriable' });
          return true;
        },
      },
    });
    this.deadLetters = options.kafka.producer({ allowAutoTopicCreation: false });
    this.inbox = new InboxStore(options.schema, options.consumer);
    this.offsets = new ConsumerOffsetStore(options.schema, options.consumer);
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? 200;
    this.infrastructureBackoffMaxMs = options.infrastructureBackoffMaxMs ?? 5_000;
    this.maxChunkSize = options.maxChunkSize ?? 500;
    this.validate = options.validate ?? validateEvent;
    this.clock = options.clock ?? new SystemClock();
    const { GROUP_JOIN, CRASH } = this.consumerClient.events;
    this.consumerClient.on(GROUP_JOIN, ({ payload }) => {
      this.assigned = true;
      this.uncheckedPartitions.clear();
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) this.uncheckedPartitions.add(`${topic}:${partition}`);
      }
    });
    this.consumerClient.on(CRASH, (event) => this.onCrash(event));
  }

  /** True once the group has been joined and partitions assigned (readiness). */
  isReady(): boolean {
    return this.assigned;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.assertOffsetsTable();
      await this.start();
    } catch (error) {
      if (!isInfrastructureError(error)) {
        callback(error);
        return;
      }
      // Kafka is down at start-up: the service starts anyway and the consumer joins once it is back.
      this.logger.warn(`${this.options.consumer}: Kafka unreachable at start, retrying: ${describeError(error)}`);
      this.scheduleRestart();
    }
    this.schedulePruning();
    callback();
  }

  /**
   * Stops fetching, lets the transaction in flight finish and its offsets commit, then disconnects.
   * Waits cut short at once; returns within `deadlineMs` even while Kafka is unreachable (what is
   * left is abandoned: uncommitted offsets are redelivered, and skipped by the stored offsets).
   */
  async close(deadlineMs = this.options.closeTimeoutMs ?? 5_000): Promise<void> {
    this.stopping = true;
    this.assigned = false;
    this.sleeper.wakeAll();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const disconnect = (async () => {
      await this.consumerClient.disconnect().catch((error) => this.logger.warn(`consumer disconnect: ${describeError(error)}`));
      await this.deadLetters.disconnect().catch((error) => this.logger.warn(`producer disconnect: ${describeError(error)}`));
    })();
    if (!(await settlesWithin(disconnect, deadlineMs))) {
      this.logger.warn(`${this.options.consumer}: Kafka did not let go within ${deadlineMs} ms; closing anyway`);
    }
  }

  on(): void {
    throw new Error('KafkaInboxServer does not emit events; use isReady() for readiness');
  }

  unwrap<T>(): T {
    return this.consumerClient as T;
  }

  /** Prunes inbox rows older than the retention now (operators, tests). */
  pruneInbox(processedBefore: Date): Promise<number> {
    return this.inbox.prune(this.options.dataSource, processedBefore);
  }

  /**
   * Without its consumer_offsets table every transaction would fail as a handler failure and every
   * event would be dead-lettered: refuse to start instead (a database that cannot answer yet is
   * waited out like any other outage).
   */
  private async assertOffsetsTable(): Promise<void> {
    try {
      await this.options.dataSource.query(`SELECT 1 FROM "${this.options.schema}".consumer_offsets LIMIT 0`);
    } catch (error) {
      if (isInfrastructureError(error)) return;
      throw new Error(
        `${this.options.consumer}: table "${this.options.schema}".consumer_offsets cannot be read (run the service's migrations): ${describeError(error)}`,
      );
    }
  }

  private async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumerClient.connect();
    // A group with no committed offset starts from the beginning: nothing published earlier is skipped.
    const topics = this.options.topics.map((topic) => `${this.options.topicPrefix ?? ''}${topic}`);
    await this.consumerClient.subscribe({ topics, fromBeginning: true });
    await this.consumerClient.run(this.runConfig());
  }

  private runConfig(): ConsumerRunConfig {
    return {
      // kafkajs commits only offsets we resolved, and we resolve a chunk's offsets only after its
      // transaction committed; committing them on an interval (and on stop) instead of after
      // every chunk saves a broker round trip per batch. A crash redelivers at most one interval,
      // which the stored offsets skip.
      autoCommit: true,
      autoCommitInterval: 500,
      eachBatchAutoResolve: false,
      // Partitions are independent (order is per key), so all of them are applied in parallel.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      eachBatch: (payload) => this.consumeBatch(payload),
    };
  }

  /**
   * kafkajs restarts a consumer after a retriable crash (restartOnFailure above) but leaves one that
   * crashed on anything else stopped for good, silently; this restarts it too, with backoff.
   */
  private onCrash({ payload }: ConsumerCrashEvent): void {
    this.assigned = false;
    if (payload.restart || this.stopping) return;
    this.logger.error(`${this.options.consumer}: Kafka consumer crashed (not retriable), restarting: ${describeError(payload.error)}`);
    consumerRestartsTotal.inc({ consumer: this.options.consumer, reason: 'non_retriable' });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    this.restarts++;
    const delayMs = jitteredBackoffMs(1_000, this.restarts, 30_000);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.start()
        .then(() => {
          this.restarts = 0;
          // close() came while this restart was connecting: do not leave a consumer running behind it.
          if (this.stopping) return this.consumerClient.disconnect();
        })
        .catch((error) => {
          this.logger.warn(`${this.options.consumer}: consumer restart failed, retrying: ${describeError(error)}`);
          this.scheduleRestart();
        });
    }, delayMs);
    this.restartTimer.unref();
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const scope: PartitionScope = {
      topic,
      logicalTopic: topic.slice((this.options.topicPrefix ?? '').length),
      partition,
      heartbeat,
      isRunning,
      isStale,
      waiting: false,
    };
    try {
      if (await this.seekedToStoredOffset(scope, batch.firstOffset(), batch.highWatermark)) return;
      for (let start = 0; start < batch.messages.length; start += this.maxChunkSize) {
        if (!this.active(scope)) return;
        const chunk = batch.messages.slice(start, start + this.maxChunkSize);
        if (!(await this.applyChunk(scope, chunk))) return;
        resolveOffset(chunk[chunk.length - 1].offset);
        await this.heartbeatSafely(scope);
      }
    } finally {
      if (scope.waiting) consumerInfrastructureWaiting.set(this.waitingLabels(scope), 0);
    }
  }

  /**
   * On a partition's first batch after an assignment: when the stored offset is ahead of where Kafka
   * would have us read (its committed offset was lost, or never committed after our last
   * transaction), seek there and drop this batch. Only forward: the stored guard makes reading from
   * an earlier offset harmless, only slow. A database that cannot answer now leaves it to the guard.
   * A stored offset beyond the partition's end can only mean the topic was deleted and re-created:
   * its offsets started again from 0, so the stored one is reset instead of skipping new events.
   */
  private async seekedToStoredOffset(scope: PartitionScope, firstOffset: string | null, highWatermark: string): Promise<boolean> {
    const key = `${scope.topic}:${scope.partition}`;
    if (!this.uncheckedPartitions.has(key) || firstOffset === null) return false;
    let stored: bigint | null;
    try {
      stored = await this.offsets.next(this.options.dataSource, scope.topic, scope.partition);
      if (stored !== null && stored > BigInt(highWatermark)) {
        this.logger.error(
          `${this.options.consumer}: ${scope.topic}[${scope.partition}] stored offset ${stored} is beyond the partition's end ${highWatermark}: the topic was re-created; starting again from ${firstOffset}`,
        );
        await this.offsets.reset(this.options.dataSource, scope.topic, scope.partition, BigInt(firstOffset));
        stored = BigInt(firstOffset);
      }
    } catch {
      return false; // checked again on the next batch
    }
    this.uncheckedPartitions.delete(key);
    if (stored === null || stored <= BigInt(firstOffset)) return false;
    this.logger.log(
      `${this.options.consumer}: ${scope.topic}[${scope.partition}] Kafka offset ${firstOffset} is behind the stored ${stored}: seeking`,
    );
    this.consumerClient.seek({ topic: scope.topic, partition: scope.partition, offset: stored.toString() });
    return true;
  }

  /** Applies a chunk; false if it was given up (stopping, rebalanced) before it finished: it will be redelivered. */
  private async applyChunk(scope: PartitionScope, messages: KafkaMessage[]): Promise<boolean> {
    const parsed = messages.flatMap((message) => this.parseIfHandled(scope.logicalTopic, message));
    let deadLettered = false;
    const invalid = parsed.filter((item) => 'error' in item);
    // Redelivered below the stored offset: dead-lettered already (valid ones are skipped in their transaction).
    const storedNext = invalid.length > 0 ? await this.storedNextOrNull(scope) : null;
    for (const item of invalid) {
      if (!('error' in item)) continue;
      if (storedNext !== null && BigInt(item.message.offset) < storedNext) continue;
      if (!(await this.deadLetter(scope, item.message, item.error, 0, 'invalid'))) return false;
      deadLettered = true;
    }
    const valid = parsed.filter((item): item is Item => 'event' in item);
    const throughOffset = BigInt(messages[messages.length - 1].offset);
    if (valid.length > 0) {
      const outcome = await this.applyChunkOnce(scope, valid, throughOffset);
      if (outcome === 'given-up') return false;
      if (outcome === 'handler-failed') {
        // Something in the chunk failed: find which by applying one message per transaction.
        for (const item of valid) {
          const result = await this.applyWithRetries(scope, item);
          if (result === 'given-up') return false;
          if (result === 'dead-lettered') deadLettered = true;
        }
      }
    }
    // A dead letter wrote no offset; record that the chunk is done so a lost Kafka offset does not
    // dead-letter it again. Best effort: at worst the dead letter is sent twice.
    if (deadLettered) {
      await this.offsets
        .advance(this.options.dataSource, scope.topic, scope.partition, throughOffset + 1n)
        .catch((error) => this.logger.warn(`${this.options.consumer}: storing offset after a dead letter: ${describeError(error)}`));
    }
    return true;
  }

  private async storedNextOrNull(scope: PartitionScope): Promise<bigint | null> {
    try {
      return await this.offsets.next(this.options.dataSource, scope.topic, scope.partition);
    } catch {
      return null;
    }
  }

  /** The whole chunk in one transaction, an outage waited out for as long as it lasts. */
  private async applyChunkOnce(
    scope: PartitionScope,
    items: Item[],
    throughOffset: bigint,
  ): Promise<'applied' | 'handler-failed' | 'given-up'> {
    for (let wait = 1; ; wait++) {
      try {
        await this.applyInTransaction(scope, items, throughOffset);
        return 'applied';
      } catch (error) {
        if (!isInfrastructureError(error)) return 'handler-failed';
        if (!(await this.waitOutInfrastructure(scope, 'apply', error, wait))) return 'given-up';
      }
    }
  }

  private async applyWithRetries(scope: PartitionScope, item: Item): Promise<'applied' | 'dead-lettered' | 'given-up'> {
    let handlerFailures = 0;
    let infrastructureWaits = 0;
    for (;;) {
      try {
        await this.applyInTransaction(scope, [item], BigInt(item.message.offset));
        return 'applied';
      } catch (error) {
        if (isInfrastructureError(error)) {
          if (!(await this.waitOutInfrastructure(scope, 'apply', error, ++infrastructureWaits))) return 'given-up';
          continue;
        }
        handlerFailures++;
        if (handlerFailures >= this.maxAttempts) {
          this.logger.error(
            `${this.options.consumer}: ${item.event.type} ${item.event.id} failed ${handlerFailures} times: ${describeError(error)}`,
          );
          const sent = await this.deadLetter(scope, item.message, describeError(error), handlerFailures, 'failed');
          return sent ? 'dead-lettered' : 'given-up';
        }
        const delayMs = jitteredBackoffMs(this.retryBackoffMs, handlerFailures, HANDLER_BACKOFF_MAX_MS);
        if (!(await this.pauseFor(scope, delayMs))) return 'given-up';
      }
    }
  }

  private async applyInTransaction(scope: PartitionScope, items: Item[], throughOffset: bigint): Promise<void> {
    const { topic, logicalTopic, partition } = scope;
    const batchHandler = this.getHandlerByPattern(`${BATCH_PATTERN_PREFIX}${logicalTopic}`);
    let fresh: EventEnvelope[] = [];
    let skipped = items.length;
    await this.options.dataSource.transaction('READ COMMITTED', async (tx) => {
      // Messages below the stored offset were applied already, whatever Kafka's offsets say now.
      const storedNext = await this.offsets.lockNext(tx, topic, partition);
      const unapplied = storedNext === null ? items : items.filter((item) => BigInt(item.message.offset) >= storedNext);
      if (unapplied.length === 0) return;
      await this.offsets.advance(tx, topic, partition, throughOffset + 1n);
      fresh = await this.inbox.claim(
        tx,
        unapplied.map((item) => item.event),
      );
      skipped = items.length - fresh.length;
      if (fresh.length === 0) return;
      const meta = { topic, partition, offset: unapplied[unapplied.length - 1].message.offset, consumer: this.options.consumer };
      if (batchHandler) {
        await this.invoke(batchHandler, fresh, new InboxContext([tx, meta]));
        return;
      }
      for (const item of unapplied) {
        if (!fresh.includes(item.event)) continue;
        const handler = this.getHandlerByPattern(item.event.type) as MessageHandler;
        const parent = propagation.extract(otelContext.active(), item.message.headers ?? {}, headerGetter);
        await otelContext.with(parent, () =>
          tracer.startActiveSpan(`consume ${item.event.type}`, async (span) => {
            try {
              await this.invoke(handler, item.event, new InboxContext([tx, { ...meta, offset: item.message.offset }]));
            } finally {
              span.end();
            }
          }),
        );
      }
    });
    consumerProcessedTotal.inc({ consumer: this.options.consumer, topic, outcome: 'applied' }, fresh.length);
    consumerProcessedTotal.inc({ consumer: this.options.consumer, topic, outcome: 'duplicate' }, skipped);
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
   * type: events nobody here handles, and redrives meant for other consumers, are acknowledged
   * without validation or an inbox row. A value that is not JSON cannot say its type and is
   * dead-lettered.
   */
  private parseIfHandled(topic: string, message: KafkaMessage): Parsed[] {
    if (!isAddressedTo(message.headers, this.options.consumer)) return [];
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

  /**
   * Sends a message to the dead-letter topic, retrying for as long as the broker refuses (never
   * dropping it: its offset is resolved only after this returns true). False if given up because
   * the consumer is stopping or lost the partition; the message is then redelivered.
   */
  private async deadLetter(
    scope: PartitionScope,
    message: KafkaMessage,
    error: string,
    attempts: number,
    reason: DeadLetterReason,
  ): Promise<boolean> {
    const dead = deadLetterMessage(
      message,
      { topic: scope.topic, partition: scope.partition, consumer: this.options.consumer },
      { error, attempts, reason },
    );
    for (let wait = 1; ; wait++) {
      try {
        await this.deadLetters.send({ topic: deadLetterTopicOf(scope.topic as Topic), acks: -1, messages: [dead] });
        break;
      } catch (sendError) {
        if (!(await this.waitOutInfrastructure(scope, 'dead_letter', sendError, wait))) return false;
      }
    }
    consumerDeadLetteredTotal.inc({ consumer: this.options.consumer, topic: scope.topic, reason });
    return true;
  }

  /**
   * One wait of an infrastructure outage: counted, shown in the gauge, logged on the first try and
   * every tenth. False when the consumer is stopping or lost the partition.
   */
  private async waitOutInfrastructure(
    scope: PartitionScope,
    operation: 'apply' | 'dead_letter',
    error: unknown,
    wait: number,
  ): Promise<boolean> {
    if (wait === 1 || wait % 10 === 0) {
      this.logger.warn(
        `${this.options.consumer}: ${scope.topic}[${scope.partition}] waits out an infrastructure failure (${operation}, try ${wait}): ${describeError(error)}`,
      );
    }
    consumerInfrastructureRetriesTotal.inc({ consumer: this.options.consumer, topic: scope.topic, operation });
    if (!scope.waiting) {
      scope.waiting = true;
      consumerInfrastructureWaiting.set(this.waitingLabels(scope), 1);
    }
    return this.pauseFor(scope, jitteredBackoffMs(this.retryBackoffMs, wait, this.infrastructureBackoffMaxMs));
  }

  /** Sleeps in short slices, heartbeating, so stopping and rebalancing are noticed promptly. */
  private async pauseFor(scope: PartitionScope, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      await this.heartbeatSafely(scope);
      if (!this.active(scope)) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      await this.sleeper.sleep(Math.min(WAIT_SLICE_MS, left));
    }
  }

  /**
   * Heartbeats so the group keeps the partition while we wait. A broker that cannot be reached is
   * part of the outage being waited out; an answer that the group changed is kafkajs' to handle (it
   * rejoins; the batch's unresolved messages are redelivered to whoever owns the partition).
   */
  private async heartbeatSafely(scope: PartitionScope): Promise<void> {
    try {
      await scope.heartbeat();
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (!isInfrastructureError(error) || (type !== undefined && GROUP_CHANGED.has(type))) throw error;
    }
  }

  private active(scope: PartitionScope): boolean {
    return !this.stopping && scope.isRunning() && !scope.isStale();
  }

  private waitingLabels(scope: PartitionScope) {
    return { consumer: this.options.consumer, topic: scope.topic, partition: String(scope.partition) };
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
}
