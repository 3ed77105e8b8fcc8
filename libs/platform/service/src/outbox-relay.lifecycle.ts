import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay, watchOutboxCommits } from '@payflow/platform/outbox';

/**
 * Starts the service's outbox relay with the application and stops it on shutdown, after the
 * consumers (closed first by Nest) so what their last handlers wrote is still published.
 */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    watchOutboxCommits(this.dataSource, () => this.relay.announce());
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
