import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@payflow/platform/clock';
import { runService } from '@payflow/platform/service';
import { WebhooksAppModule } from './app.module';
import { configureWebhooksHttp } from './configure-http';
import { WebhooksConfig } from './webhooks.config';

/** Starts the webhooks service (main.ts, and the integration tests on port 0 with a test clock). */
export function runWebhooks(
  config: WebhooksConfig,
  options: { port?: number; clock?: Clock } = {},
): Promise<INestApplication> {
  return runService(WebhooksAppModule.forRoot(config, options.clock), {
    service: 'webhooks',
    port: options.port ?? config.WEBHOOKS_PORT,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    configure: configureWebhooksHttp,
  });
}
