import { Logger } from '@nestjs/common';
import { CompressionTypes, Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { Clock, SystemClock } from '@payflow/platform/clock';
import {
  outboxLagSeconds,
  outboxPublishedTotal,
  outboxPublishLatencySeconds,
} from '@payflow/platform/observability';
import { classifySendFailure, describeSendFailure } from './kafka-send-errors';
import { LeaderSession } from './leader-session';
import { DEFAULT_MAX_BATCH_BYTES, OutgoingRecord, takeBatch, topicMessagesOf } from './outbox-batches';
import { outboxSetAsideTotal, RelayState, setRelayState } from './outbox-metrics';
import { outboxChannel } from './outbox-schema';
import { ThrottledLogger } from './throttled-logger';

export interface OutboxRelayOptions {
  /** Schema whose outbox this relay drains (the service's own). */
  schema: string;
  /** Pool for pruning and for a standby's NOTIFY to the leader. */
  pool: Pool;
  /** Connection string for the relay's dedicated session (advisory lock + LISTEN). */
  connectionString: string;
  kafka: Kafka;
  /** Environment prefix of the Kafka topics (KAFKA_TOPIC_PREFIX); rows hold the logical topic. */
  topicPrefix?: string;
  /** Name in metrics and logs; defaults to the schema. */
  service?: string;
  batchSize?: number;
  /** Most bytes (values, keys, headers) sent in one request, below the broker's 1 MB default. */
  maxBatchBytes?: number;
  /** Polling fallback when no NOTIFY arrives (e.g. one was lost with a connection). */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the lock (on its one kept session). */
  standbyRetryMs?: number;
  /** Connect timeout of the relay's session (DB_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** The leader proves its session answers this often, and stops leading when it does not. */
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** Longest back-off between failed publishes (Kafka down, a missing topic). */
  maxRetryBackoffMs?: number;
  retentionHours?: number;
  pruneIntervalMs?: number;
  clock?: Clock;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

interface PendingRecord extends OutgoingRecord {
  createdAt: Date;
  logicalTopic: string;
}

const PRUNE_CHUNK = 5_000;
const MIN_RETRY_BACKOFF_MS = 250;
/** A recurring failure (Kafka down, a missing topic) is logged once, then at most this often. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * Publishes a service's outbox to Kafka. One relay per service is active: it holds a session
 * advisory lock on a dedicated connection that also LISTENs for inserts; standbys retry the lock,
 * so when the leader or its connection dies another takes over (see LeaderSession for how a
 * vanished leader lets go). Rows are published oldest first, in requests bounded by bytes and
 * gzip-compressed, with an idempotent producer (acks=all), and then marked; a crash between the two
 * republishes the batch, which consumers deduplicate by event id.
 *
 * Nothing blocks it for good: a row Kafka refuses for good is set aside (marked, counted, logged
 * with its id) and the rows behind it go on; Kafka being down or a topic missing keeps the rows and
 * backs off, reported once per interval; `stop()` flushes within the time it is given.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly failures: ThrottledLogger;
  private readonly service: string;
  private readonly table: string;
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;
  private readonly maxRetryBackoffMs: number;
  private readonly retentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly clock: Clock;
  private readonly producer: Producer;
  private readonly session: LeaderSession;

  private running = false;
  /** stop() was called: publish what is committed, then end the loop. */
  private draining = false;
  private state: RelayState = 'stopped';
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Set when a NOTIFY arrives while the relay is busy, so the next idle() returns at once. */
  private woken = false;
  private retryBackoffMs = MIN_RETRY_BACKOFF_MS;
  private lastPruneMs = 0;
  private notifying = false;
  private notifyAgain = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.service = options.service ?? options.schema;
    this.table = `"${options.schema}".outbox`;
    this.batchSize = options.batchSize ?? 500;
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.standbyRetryMs = options.standbyRetryMs ?? 1_000;
    this.maxRetryBackoffMs = options.maxRetryBackoffMs ?? 5_000;
    this.retentionMs = (options.retentionHours ?? 72) * 3_600_000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.clock = options.clock ?? new SystemClock();
    this.failures = new ThrottledLogger(this.logger, FAILURE_LOG_INTERVAL_MS);
    // Idempotent producer: broker-side deduplication of its own retries, so they never reorder or
    // duplicate within a partition (one request in flight). Its retries are bounded (a few
    // seconds) so a send that cannot succeed comes back to the relay, which keeps the rows, backs
    // off and can be stopped; kafkajs warns that bounded retries weaken its exactly-once, which the
    // relay does not rely on (consumers deduplicate by event id).
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    this.session = new LeaderSession({
      connectionString: options.connectionString,
      applicationName: `${this.service}-relay`,
      lockKey: `payflow.outbox.${options.schema}`,
      channel: outboxChannel(options.schema),
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      onNotification: () => this.signal(),
      onLeadershipLost: (reason) => {
        this.logger.warn(`outbox relay for ${this.service} is no longer the active relay: ${reason}`);
        this.setState('standby');
        this.signal();
      },
    });
  }

  /** Connects the producer (waiting for Kafka as long as it takes, until stop()) and starts the loop. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.draining = false;
    this.setState('starting');
    while (this.running) {
      try {
        await this.producer.connect();
        this.failures.clear('connect');
        break;
      } catch (error) {
        this.failures.warn(
          'connect',
          `outbox relay for ${this.service} cannot reach Kafka yet, retrying: ${(error as Error).message}`,
        );
        await this.idle(this.nextBackoff());
      }
    }
    if (!this.running) return;
    this.retryBackoffMs = MIN_RETRY_BACKOFF_MS;
    this.setState('standby');
    this.loop = this.run();
  }

  /**
   * Publishes what is committed, then releases the lock and disconnects, within `timeoutMs`: past
   * it (Kafka or Postgres unreachable) the session is dropped and the rest stays for the next leader.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.running) return;
    const deadline = this.clock.nowMs() + timeoutMs;
    this.draining = true;
    this.signal();
    const remaining = (): number => Math.max(deadline - this.clock.nowMs(), 0);
    const flushed = await race(this.loop ?? Promise.resolve(), remaining());
    if (!flushed)
      this.logger.warn(
        `outbox relay for ${this.service} did not finish flushing within ${timeoutMs} ms; the next leader publishes the rest`,
      );
    this.running = false;
    this.signal();
    await this.session.close(Math.max(remaining(), 100));
    await race(
      this.producer.disconnect().catch(() => undefined),
      Math.max(remaining(), 100),
    );
    this.setState('stopped');
  }

  isLeader(): boolean {
    return this.session.isLeader();
  }

  /** True once the producer connected and the loop runs (readiness at start-up). */
  isRunning(): boolean {
    return this.running && this.state !== 'starting';
  }

  /** leader, standby, failing (a leader that cannot publish), starting or stopped. */
  currentState(): RelayState {
    return this.state;
  }

  /** Backend pid of the relay's session (tests cut it). */
  sessionPid(): number | null {
    return this.session.backendPid();
  }

  /** Wakes the relay now (callers that know they just committed). */
  nudge(): void {
    this.signal();
  }

  /**
   * Announces committed outbox rows: wakes this relay if it leads, otherwise NOTIFYs the leading
   * replica. Coalesced: at most one NOTIFY in flight, so a burst of commits costs one round trip.
   */
  announce(): void {
    if (this.session.isLeader()) {
      this.signal();
      return;
    }
    if (this.notifying || !this.running) {
      this.notifyAgain = this.notifying;
      return;
    }
    this.notifying = true;
    this.options.pool
      .query('SELECT pg_notify($1, $2)', [outboxChannel(this.options.schema), ''])
      .catch((error: Error) => this.logger.warn(`outbox notify failed (the leader polls): ${error.message}`))
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.announce();
        }
      });
  }

  private signal(): void {
    this.woken = true;
    this.wake?.();
  }

  private setState(state: RelayState): void {
    this.state = state;
    setRelayState(this.service, state);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.session.isLeader()) {
          if (this.draining) return; // a standby has nothing of its own to flush
          if (!(await this.session.tryLead())) {
            await this.idle(this.standbyRetryMs);
            continue;
          }
          this.logger.log(`outbox relay for ${this.service} is now the active relay`);
          this.failures.clear('session');
          this.setState('leader');
        }
        const outcome = await this.publishBatch();
        if (outcome === 'failed') {
          if (this.draining) return; // what cannot be published now stays for the next leader
          await this.idle(this.nextBackoff());
          continue;
        }
        this.retryBackoffMs = MIN_RETRY_BACKOFF_MS;
        if (outcome === 'drained') {
          if (this.draining) return;
          await this.pruneIfDue();
          await this.idle(this.pollIntervalMs);
        }
      } catch (error) {
        // Postgres: the session is gone or a query failed. Drop it (the server frees the lock) and
        // come back as a standby; the rows are still there.
        this.failures.warn(
          'session',
          `outbox relay for ${this.service} lost its database session, retrying: ${(error as Error).message}`,
        );
        this.session.drop((error as Error).message);
        if (this.draining) return;
        this.setState('standby');
        await this.idle(this.nextBackoff());
      }
    }
  }

  /**
   * Publishes the oldest unpublished rows that fit in one request. Reads and marks through the
   * leader's own session: a relay that lost its session (and so its lock) can neither read nor
   * mark, and no pool connection is taken from the service.
   */
  private async publishBatch(): Promise<'published' | 'drained' | 'failed'> {
    const { rows } = await this.session.query<OutboxRow>(
      `SELECT id, topic, message_key, payload, headers, created_at FROM ${this.table}
        WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) {
      outboxLagSeconds.set({ service: this.service }, 0);
      if (this.state === 'failing') this.setState('leader');
      return 'drained';
    }
    const records = rows.map((row) => this.recordOf(row));
    const batch = takeBatch(records, this.maxBatchBytes);
    outboxLagSeconds.set(
      { service: this.service },
      (this.clock.nowMs() - batch[0].createdAt.getTime()) / 1000,
    );
    // Leadership is checked again right before sending: a relay that lost its session stops here.
    if (!this.session.isLeader()) return 'failed';

    try {
      await this.send(batch);
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure !== 'refused') return this.keepRows(failure, error);
      return this.publishOneByOne(batch);
    }
    await this.markPublished(batch);
    this.recovered();
    return batch.length < rows.length || rows.length === this.batchSize ? 'published' : 'drained';
  }

  /**
   * Kafka refused the batch for good: one of its rows is the cause. Sends them singly, oldest first,
   * setting aside each one Kafka refuses; stops at a failure that is not about the row.
   */
  private async publishOneByOne(batch: PendingRecord[]): Promise<'published' | 'failed'> {
    for (const record of batch) {
      try {
        await this.send([record]);
      } catch (error) {
        const failure = classifySendFailure(error);
        if (failure !== 'refused') return this.keepRows(failure, error);
        await this.setAside(record, describeSendFailure(error));
        continue;
      }
      await this.markPublished([record]);
    }
    this.recovered();
    return 'published';
  }

  private send(records: PendingRecord[]): Promise<unknown> {
    return this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.GZIP,
      topicMessages: topicMessagesOf(records),
    });
  }

  private async markPublished(records: PendingRecord[]): Promise<void> {
    await this.session.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
      records.map((record) => record.id),
    ]);
    const ackedMs = this.clock.nowMs();
    for (const record of records) {
      outboxPublishLatencySeconds.observe(
        { service: this.service },
        (ackedMs - record.createdAt.getTime()) / 1000,
      );
      outboxPublishedTotal.inc({ service: this.service, topic: record.logicalTopic });
    }
  }

  private async setAside(record: PendingRecord, reason: string): Promise<void> {
    await this.session.query(
      `UPDATE ${this.table} SET set_aside_at = now(), set_aside_reason = $2 WHERE id = $1`,
      [record.id, reason],
    );
    outboxSetAsideTotal.inc({ service: this.service, topic: record.logicalTopic });
    this.logger.error(
      `outbox row ${record.id} (topic ${record.logicalTopic}, key ${String(record.message.key)}) set aside, Kafka refuses it for good: ${reason}`,
    );
  }

  /** Kafka is down or a topic is missing: the rows stay, the relay backs off and says so plainly. */
  private keepRows(failure: 'missing_topic' | 'transient', error: unknown): 'failed' {
    this.setState('failing');
    const message =
      failure === 'missing_topic'
        ? `outbox relay for ${this.service}: a topic does not exist (${describeSendFailure(error)}); rows are kept, create the topic`
        : `outbox relay for ${this.service} cannot publish, rows are kept and retried: ${describeSendFailure(error)}`;
    this.failures.warn(failure, message);
    return 'failed';
  }

  private recovered(): void {
    if (this.state !== 'failing') return;
    this.setState('leader');
    this.failures.clear('missing_topic');
    this.failures.clear('transient');
    this.logger.log(`outbox relay for ${this.service} publishes again`);
  }

  private recordOf(row: OutboxRow): PendingRecord {
    return {
      id: row.id,
      topic: `${this.options.topicPrefix ?? ''}${row.topic}`,
      logicalTopic: row.topic,
      createdAt: row.created_at,
      message: { key: row.message_key, value: JSON.stringify(row.payload), headers: row.headers },
    };
  }

  private nextBackoff(): number {
    const delay = this.retryBackoffMs;
    this.retryBackoffMs = Math.min(this.retryBackoffMs * 2, this.maxRetryBackoffMs);
    return delay;
  }

  /** Published rows are kept for the retention period (audit, replay), then deleted in chunks. */
  private async pruneIfDue(): Promise<void> {
    const nowMs = this.clock.nowMs();
    if (nowMs - this.lastPruneMs < this.pruneIntervalMs) return;
    this.lastPruneMs = nowMs;
    await this.pruneOnce(new Date(nowMs - this.retentionMs));
  }

  async pruneOnce(publishedBefore: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.options.pool.query(
        `DELETE FROM ${this.table} WHERE id IN (
           SELECT id FROM ${this.table} WHERE published_at < $1 ORDER BY published_at LIMIT ${PRUNE_CHUNK})`,
        [publishedBefore],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < PRUNE_CHUNK) return total;
    }
  }

  /** Waits for a NOTIFY, a nudge or stop(), at most `ms` (the polling fallback). */
  private idle(ms: number): Promise<void> {
    if (!this.running || this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.woken = false;
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** True if `work` settled within `ms`; never rejects. */
async function race(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
