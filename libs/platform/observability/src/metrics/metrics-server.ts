import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MetricsHttpServer, startMetricsHttpServer } from './metrics-http-server';

export const METRICS_PORT = Symbol('METRICS_PORT');

/** Runs the separate `/metrics` server for the lifetime of the Nest application. */
@Injectable()
export class MetricsServer implements OnModuleInit, OnModuleDestroy {
  private server: MetricsHttpServer | null = null;

  constructor(@Inject(METRICS_PORT) private readonly requestedPort: number) {}

  /** The bound port once the module has started, else null. */
  get port(): number | null {
    return this.server?.port ?? null;
  }

  async onModuleInit(): Promise<void> {
    this.server = await startMetricsHttpServer(this.requestedPort);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}
