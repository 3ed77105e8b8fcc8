import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@payflow/platform/clock';
import { runService } from '@payflow/platform/service';
import { GatewayAppModule } from './app.module';
import { GatewayConfig } from './config/gateway.config';
import { configureGatewayHttp } from './configure-http';

/** Starts the gateway (main.ts, and the integration tests on port 0). */
export function runGateway(
  config: GatewayConfig,
  options: { port?: number; clock?: Clock } = {},
): Promise<INestApplication> {
  return runService(GatewayAppModule.forRoot(config, options.clock), {
    service: 'gateway',
    port: options.port ?? config.API_PORT,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    configure: configureGatewayHttp,
  });
}
