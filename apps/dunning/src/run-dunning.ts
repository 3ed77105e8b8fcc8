import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@payflow/platform/clock';
import { runService } from '@payflow/platform/service';
import { DunningAppModule } from './app.module';
import { DunningConfig } from './dunning.config';

/** Starts the dunning service (main.ts, and the integration tests on port 0 with a test clock). */
export function runDunning(config: DunningConfig, options: { port?: number; clock?: Clock } = {}): Promise<INestApplication> {
  return runService(DunningAppModule.forRoot(config, options.clock), {
    service: 'dunning',
    port: options.port ?? config.DUNNING_PORT,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
}
