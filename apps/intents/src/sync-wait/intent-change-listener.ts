import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { INTENT_CHANGED_CHANNEL } from '../state-machine/intent-transitions';
import { IntentWaiter } from './intent-waiter';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * The process's ONE `LISTEN intents_changed` session (a dedicated pg.Client outside the pool, so
 * no pooled connection is held while requests wait). Every transition NOTIFYs the intent id inside
 * its transaction, so the notification is delivered at commit; this fans it out to the requests
 * waiting on that intent. If the session drops it reconnects with backoff and wakes every waiter,
 * because notifications sent meanwhile are lost: each waiter then re-reads its intent.
 */
@Injectable()
export class IntentChangeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IntentChangeListener.name);
  private readonly waiters = new Map<string, Set<IntentWaiter>>();
  private client: Client | null = null;
  private listening = false;
  private stopped = false;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.wakeAll();
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  /** True while the LISTEN session is up (tests, diagnostics). */
  isListening(): boolean {
    return this.listening;
  }

  /** The backend pid of the LISTEN session, so tests can cut it. */
  backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  /**
   * Starts watching an intent. Register BEFORE committing the change the caller waits on: the
   * result's transaction can only commit after it, so its notification cannot slip by unseen.
   */
  register(intentId: string): IntentWaiter {
    const waiter = new IntentWaiter(intentId, (w) => this.unregister(w));
    let set = this.waiters.get(intentId);
    if (!set) this.waiters.set(intentId, (set = new Set()));
    set.add(waiter);
    return waiter;
  }

  private unregister(waiter: IntentWaiter): void {
    const set = this.waiters.get(waiter.intentId);
    set?.delete(waiter);
    if (set?.size === 0) this.waiters.delete(waiter.intentId);
  }

  private wakeAll(): void {
    for (const set of this.waiters.values()) for (const waiter of set) waiter.notify();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: serviceDatabaseUrl('intents'),
      application_name: 'intents-sync-wait',
    });
    client.on('notification', (message) => {
      if (message.payload) this.waiters.get(message.payload)?.forEach((waiter) => waiter.notify());
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${INTENT_CHANGED_CHANNEL}`);
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
    this.listening = true;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
    // Whatever changed while no session listened was not announced: let every waiter look.
    this.wakeAll();
  }

  private lost(client: Client, error?: Error): void {
    if (this.client && this.client !== client) return; // an old session's late event
    if (this.reconnectTimer || this.stopped) return;
    if (error) this.logger.warn(`sync-wait LISTEN session lost: ${error.message}; reconnecting`);
    this.client = null;
    this.listening = false;
    this.wakeAll();
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
