import { Logger } from '@nestjs/common';
import { Kafka, Message, Producer } from 'kafkajs';
import { Client, Pool } from 'pg';
import { Clock, SystemClock } from '@payflow/platform/clock';
import {
  outboxLagSeconds,
  outboxPublishedTotal,
  outboxPublishLatencySeconds,
} from '@payflow/platform/observability';
import { outboxChannel } from './outbox-schema';

export interface OutboxRelayOptions {
  /** Schema whose outbox this relay drains (the service's own). */
  schema: string;
  /** Pool for reading and marking rows. */
  pool: Pool;
  /** Connection string for the relay's dedicated session (advisory lock + LISTEN). */
  connectionString: string;
  kafka: Kafka;
  /** Environment prefix of the Kafka topics (KAFKA_TOPIC_PREFIX); rows hold the logical topic. */
  topicPrefix?: string;
  /** Name in metrics and logs; defaults to the schema. */
  service?: string;
  batchSize?: number;
  /** Polling fallback when no NOTIFY arrives (e.g. one was lost with a connection). */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the lock. */
  standbyRetryMs?: number;
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

const PRUNE_CHUNK = 5_000;

/**
 * Publishes a service's outbox to Kafka. One relay per service is active: it holds a session
 * advisory lock on a dedicated connection that also LISTENs for inserts; standbys retry the lock,
 * so when the leader or its connection dies another takes over. Rows are published oldest first
 * with an idempotent producer (acks=all) and then marked; a crash between the two republishes the
 * batch, which consumers deduplicate by event id (at-least-once delivery, exactly-once effects).
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly service: string;
  private readonly table: string;
  private readonly lockKey: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;
  private readonly retentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly clock: Clock;
  private readonly producer: Producer;

  private session: Client | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Set when a NOTIFY arrives while the relay is busy, so the next idle() returns at once. */
  private woken = false;
  private lastPruneMs = 0;
  private notifying = false;
  private notifyAgain = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.service = options.service ?? options.schema;
    this.table = `"${options.schema}".outbox`;
    this.lockKey = `payflow.outbox.${options.schema}`;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.standbyRetryMs = options.standbyRetryMs ?? 1_000;
    this.retentionMs = (options.retentionHours ?? 72) * 3_600_000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.clock = options.clock ?? new SystemClock();
    // Idempotent producer: broker-side deduplication of retried sends, so retries never reorder or
    // duplicate within a partition; it requires unlimited retries and one request in flight.
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5_000 },
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in flight, releases the lock and disconnects the producer. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal();
    await this.loop;
    await this.releaseLeadership();
    await this.producer.disconnect();
  }

  isLeader(): boolean {
    return this.session !== null;
  }

  isRunning(): boolean {
    return this.running;
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
    if (this.session) {
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

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.session && !(await this.tryLead())) {
          await this.idle(this.standbyRetryMs);
          continue;
        }
        const published = await this.publishBatch();
        await this.pruneIfDue();
        if (published < this.batchSize) await this.idle(this.pollIntervalMs);
      } catch (error) {
        this.logger.error(`outbox relay for ${this.service} failed, retrying: ${(error as Error).message}`);
        await this.releaseLeadership();
        await this.idle(this.standbyRetryMs);
      }
    }
  }

  /** Takes the advisory lock on a fresh session and LISTENs on it; false if another relay leads. */
  private async tryLead(): Promise<boolean> {
    const session = new Client({ connectionString: this.options.connectionString, application_name: `${this.service}-relay` });
    session.on('error', (error) => {
      this.logger.warn(`outbox relay session for ${this.service} lost: ${error.message}`);
      if (this.session === session) this.session = null;
      this.signal();
    });
    session.on('end', () => {
      if (this.session === session) this.session = null;
    });
    session.on('notification', () => this.signal());
    await session.connect();
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      this.lockKey,
    ]);
    if (!rows[0].locked) {
      await session.end();
      return false;
    }
    await session.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
    // Marking rows published need not wait for the WAL flush: a mark lost in a crash only means
    // the row is published again, which consumers deduplicate. It halves the relay's cycle.
    await session.query('SET synchronous_commit = off');
    this.session = session;
    this.logger.log(`outbox relay for ${this.service} is now the active relay`);
    return true;
  }

  private async releaseLeadership(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session) await session.end().catch(() => undefined);
  }

  /**
   * Reads and marks through the leader's own session: a relay that lost its session (and so its
   * lock) can neither read nor mark, and no pool connection is taken from the service.
   */
  private async publishBatch(): Promise<number> {
    const session = this.session;
    if (!session) return 0;
    const { rows } = await session.query<OutboxRow>(
      `SELECT id, topic, message_key, payload, headers, created_at FROM ${this.table}
        WHERE published_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) {
      outboxLagSeconds.set({ service: this.service }, 0);
      return 0;
    }
    // Leadership is checked again right before sending: a relay that lost its session stops here.
    if (this.session !== session) return 0;

    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const topic = `${this.options.topicPrefix ?? ''}${row.topic}`;
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: row.message_key, value: JSON.stringify(row.payload), headers: row.headers });
      byTopic.set(topic, messages);
    }
    const nowMs = this.clock.nowMs();
    outboxLagSeconds.set({ service: this.service }, (nowMs - rows[0].created_at.getTime()) / 1000);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    await session.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
      rows.map((row) => row.id),
    ]);

    const ackedMs = this.clock.nowMs();
    for (const row of rows) {
      outboxPublishLatencySeconds.observe({ service: this.service }, (ackedMs - row.created_at.getTime()) / 1000);
    }
    for (const [topic, messages] of byTopic) {
      outboxPublishedTotal.inc({ service: this.service, topic }, messages.length);
    }
    return rows.length;
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
