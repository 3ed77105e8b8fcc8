import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import { merchantEvent } from './merchant-events';
import { MerchantsRepository } from './merchants.repository';

/** Merchants announced per transaction. */
const BATCH = 200;
/** How often merchants still unannounced are looked for after start-up (normally there are none). */
export const ANNOUNCE_INTERVAL_MS = 60_000;

/**
 * The backfill of the merchant events: merchants whose current version has no event in the outbox
 * (those created before the gateway published `merchant.*`, or written by hand) get
 * `merchant.created` (then `merchant.updated` if they changed since) at start-up and at every
 * ANNOUNCE_INTERVAL_MS, each in the transaction that records it as announced. Rows are claimed
 * FOR UPDATE SKIP LOCKED, so replicas starting together announce each merchant once; and the admin
 * API announces every change it makes itself, under the same row lock.
 */
@Injectable()
export class MerchantAnnouncer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MerchantAnnouncer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly merchants: MerchantsRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runSafely();
    this.timer = setInterval(() => void this.runSafely(), ANNOUNCE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Announces every merchant still to announce; returns how many. */
  async announcePending(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await inTransaction(this.dataSource, async (tx) => {
        const pending = await this.merchants.lockUnannounced(tx, BATCH);
        const occurredAt = this.clock.now();
        for (const merchant of pending) {
          const { version, announced_version: announced } = merchant;
          // The merchant as it is now carries `version`; what it was before is not kept, so a merchant
          // never announced is created at its current version (a projection needs only the latest).
          const type = announced === 0 ? 'merchant.created' : 'merchant.updated';
          await this.outbox.append(tx, merchantEvent(type, merchant, version, { occurredAt }));
          await this.merchants.markAnnounced(tx, merchant.id, version);
        }
        return pending.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }

  private async runSafely(): Promise<void> {
    if (this.running) return;
    this.running = this.announcePending();
    try {
      const count = await this.running;
      if (count > 0) this.logger.log(`announced ${count} merchant(s) on payflow.gateway.v1`);
    } catch (error) {
      // Postgres away: the next run announces them; nothing is lost, the rows still say "not announced".
      this.logger.warn(`could not announce merchants: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }
}
