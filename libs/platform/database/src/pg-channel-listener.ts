import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { sessionClientConfig } from './data-source';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface PgChannelListenerOptions {
  connectionString: string;
  channel: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** Longest wait for the session to connect (DB_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  onNotification: (payload: string) => void;
  /**
   * Called when the session is (re)established and when it is lost: notifications sent while no
   * session listened are gone, so whoever relies on them must look for itself.
   */
  onGap: () => void;
}

/**
 * One dedicated `LISTEN <channel>` session outside the pool (NOTIFY is delivered at commit of the
 * notifying transaction). A dropped session (57P01, a reset, a failed connect) is logged and
 * reconnects with exponential backoff; its errors never reach the process as uncaught.
 */
export class PgChannelListener {
  private readonly logger = new Logger(PgChannelListener.name);
  private client: Client | null = null;
  private stopped = false;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PgChannelListenerOptions) {}

  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  isListening(): boolean {
    return this.client !== null;
  }

  /** The session's backend pid, so tests can cut it. */
  backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { connectionString, applicationName, channel, connectTimeoutMs } = this.options;
    // Keepalive: a session whose peer vanished errors out (and reconnects) instead of waiting for ever.
    const client = new Client(sessionClientConfig(connectionString, applicationName, connectTimeoutMs));
    client.on('notification', (message) => this.options.onNotification(message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
    this.options.onGap();
  }

  private lost(client: Client, error?: Error): void {
    if (this.client && this.client !== client) return; // an old session's late event
    if (this.reconnectTimer || this.stopped) return;
    if (error)
      this.logger.warn(`LISTEN ${this.options.channel} session lost: ${error.message}; reconnecting`);
    this.client = null;
    this.options.onGap();
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
