import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay, watchOutboxCommits } from '@payflow/platform/outbox';
import { SERVICE_RUNTIME_OPTIONS, ServiceRuntimeOptions } from './service-runtime.options';

/**
 * Starts the service's outbox relay with the application (start-up waits for Kafka) and stops it
 * on shutdown. runService stops it itself, after the consumers; this hook is for apps closed by Nest
 * alone, and runs in onApplicationShutdown because Nest closes the microservices (the consumers)
 * after beforeApplicationShutdown: stopping the relay there would leave their last events behind.
 */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_RUNTIME_OPTIONS) private readonly options: ServiceRuntimeOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    watchOutboxCommits(this.dataSource, () => this.relay.announce());
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop(this.options.config.SHUTDOWN_TIMEOUT_MS / 2);
  }
}
