import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { ATTEMPTS_DUE_CHANNEL } from '../attempts/attempts.repository';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * The worker's wake-up call: one dedicated `LISTEN orchestrator_attempts_due` session (outside the
 * pool). Recording or rescheduling an attempt NOTIFYs at commit, so a new attempt is called at once
 * rather than at the next poll. If the session drops it reconnects with backoff; the workers' poll
 * covers the gap.
 */
export class DueAttemptsListener {
  private readonly logger = new Logger(DueAttemptsListener.name);
  private client: Client | null = null;
  private stopped = false;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly onDue: () => void) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: serviceDatabaseUrl('orchestrator'), application_name: 'orchestrator-worker' });
    client.on('notification', () => this.onDue());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${ATTEMPTS_DUE_CHANNEL}`);
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
    this.onDue(); // whatever became due while nobody listened
  }

  private lost(client: Client, error?: Error): void {
    if ((this.client && this.client !== client) || this.reconnectTimer || this.stopped) return;
    if (error) this.logger.warn(`worker LISTEN session lost: ${error.message}; reconnecting`);
    this.client = null;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
