import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { PgChannelListener } from '@payflow/platform/database';
import { INTENT_CHANGED_CHANNEL } from '../state-machine/intent-transitions';
import { IntentWaiter } from './intent-waiter';

/**
 * The process's ONE `LISTEN intents_changed` session (no pooled connection is held while requests
 * wait). Every transition NOTIFYs the intent id inside its transaction, so the notification is
 * delivered at commit; this fans it out to the requests waiting on that intent. Around a lost
 * session every waiter is woken, because notifications sent meanwhile are lost: each re-reads.
 */
@Injectable()
export class IntentChangeListener implements OnModuleInit, OnModuleDestroy {
  private readonly waiters = new Map<string, Set<IntentWaiter>>();
  private readonly session = new PgChannelListener({
    connectionString: serviceDatabaseUrl('intents'),
    channel: INTENT_CHANGED_CHANNEL,
    applicationName: 'intents-sync-wait',
    onNotification: (intentId) => this.waiters.get(intentId)?.forEach((waiter) => waiter.notify()),
    onGap: () => this.wakeAll(),
  });

  onModuleInit(): Promise<void> {
    return this.session.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.wakeAll();
    await this.session.stop();
  }

  /** True while the LISTEN session is up (tests, diagnostics). */
  isListening(): boolean {
    return this.session.isListening();
  }

  /** The backend pid of the LISTEN session, so tests can cut it. */
  backendPid(): number | null {
    return this.session.backendPid();
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
}
