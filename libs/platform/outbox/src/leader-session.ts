import { Logger } from '@nestjs/common';
import { Client, QueryResult, QueryResultRow } from 'pg';
import { sessionClientConfig } from '@payflow/platform/database';

/**
 * The server's TCP settings for the leader's backend. The advisory lock belongs to that backend, so
 * only the server noticing the client is gone frees it: it probes an idle connection after 10 s,
 * every 5 s, and gives up after 3 unanswered probes; data it sent that stays unacknowledged for
 * 20 s (tcp_user_timeout) also ends the connection. A vanished leader's lock is free within ~25 s.
 */
const SERVER_KEEPALIVE_SQL = [
  'SET tcp_keepalives_idle = 10',
  'SET tcp_keepalives_interval = 5',
  'SET tcp_keepalives_count = 3',
  'SET tcp_user_timeout = 20000',
].join('; ');

export interface LeaderSessionOptions {
  connectionString: string;
  applicationName: string;
  /** Advisory lock key (hashed with hashtext). */
  lockKey: string;
  /** Channel to LISTEN on once leading. */
  channel: string;
  connectTimeoutMs: number;
  /** A leader runs `SELECT 1` this often... */
  heartbeatIntervalMs: number;
  /** ...and stops leading when one takes longer than this. */
  heartbeatTimeoutMs: number;
  onNotification: () => void;
  /** The session was lost or dropped while leading: stop publishing at once. */
  onLeadershipLost: (reason: string) => void;
}

class QueryTimeout extends Error {}

function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryTimeout(`${what} got no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One dedicated Postgres session that is either a standby (it retries pg_try_advisory_lock on the
 * same connection, not a new one each time) or the leader (it holds the lock, LISTENs, and proves
 * every few seconds that the server still answers). A leader that cannot prove it drops the
 * connection and with it any claim to publish; the server frees the lock on its side through the
 * keepalive settings above.
 */
export class LeaderSession {
  private readonly logger = new Logger(LeaderSession.name);
  private client: Client | null = null;
  private leading = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private heartbeatInFlight = false;

  constructor(private readonly options: LeaderSessionOptions) {}

  isLeader(): boolean {
    return this.leading;
  }

  /** The backend pid of the session (tests cut it). */
  backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  /** Tries to take the lock; true when this session now leads. Connects first if needed. */
  async tryLead(): Promise<boolean> {
    if (this.leading) return true;
    const client = this.client ?? (await this.connect());
    try {
      const { rows } = await within(
        client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
          this.options.lockKey,
        ]),
        this.options.connectTimeoutMs,
        'pg_try_advisory_lock',
      );
      if (!rows[0].locked) return false;
      await within(client.query(`LISTEN "${this.options.channel}"`), this.options.connectTimeoutMs, 'LISTEN');
    } catch (error) {
      this.drop(`lock attempt failed: ${(error as Error).message}`);
      throw error;
    }
    if (this.client !== client) return false;
    this.leading = true;
    this.startHeartbeat(client);
    return true;
  }

  /** Runs a query on the leader's session; fails if this session does not lead. */
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    if (!this.leading || !this.client) return Promise.reject(new Error('not the outbox leader'));
    return this.client.query<R>(sql, params);
  }

  /** Gives up the session at once, without a round trip (it may be dead): the server frees the lock. */
  drop(reason: string): void {
    const client = this.client;
    const wasLeading = this.leading;
    this.client = null;
    this.leading = false;
    this.stopHeartbeat();
    if (client) destroy(client);
    if (wasLeading) this.options.onLeadershipLost(reason);
  }

  /** Releases the lock politely (ends the session) within `timeoutMs`, else drops it. */
  async close(timeoutMs: number): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leading = false;
    this.stopHeartbeat();
    if (!client) return;
    await within(client.end(), timeoutMs, 'closing the relay session').catch(() => destroy(client));
  }

  private async connect(): Promise<Client> {
    const { connectionString, applicationName, connectTimeoutMs } = this.options;
    const client = new Client(sessionClientConfig(connectionString, applicationName, connectTimeoutMs));
    // A connection error with no query running is emitted here; without a listener it would crash the process.
    client.on('error', (error) => {
      if (this.client === client) this.drop(`session lost: ${error.message}`);
    });
    client.on('end', () => {
      if (this.client === client) this.drop('session ended');
    });
    client.on('notification', () => this.options.onNotification());
    try {
      await client.connect();
      // Marking rows published need not wait for the WAL flush: a mark lost in a crash only means
      // the row is published again, which consumers deduplicate. It halves the relay's cycle.
      await within(
        client.query(`${SERVER_KEEPALIVE_SQL}; SET synchronous_commit = off`),
        connectTimeoutMs,
        'session set-up',
      );
    } catch (error) {
      destroy(client);
      throw error;
    }
    this.client = client;
    return client;
  }

  private startHeartbeat(client: Client): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (this.heartbeatInFlight || this.client !== client) return;
      this.heartbeatInFlight = true;
      within(client.query('SELECT 1'), this.options.heartbeatTimeoutMs, 'heartbeat')
        .catch((error: Error) => {
          if (this.client !== client) return;
          this.logger.warn(
            `outbox leader session failed its heartbeat, giving up leadership: ${error.message}`,
          );
          this.drop(`heartbeat failed: ${error.message}`);
        })
        .finally(() => (this.heartbeatInFlight = false));
    }, this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.heartbeatInFlight = false;
  }
}

/** Closes the socket under a client without waiting for the peer; pending queries fail at once. */
function destroy(client: Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  stream?.destroy();
  client.end().catch(() => undefined);
}
