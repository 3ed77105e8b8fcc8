import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@payflow/platform/clock';
import { runService } from '@payflow/platform/service';
import { BillingAppModule } from './app.module';
import { BillingConfig } from './billing.config';

/** Starts the billing service (main.ts, and the integration tests on port 0 with a test clock). */
export function runBilling(config: BillingConfig, options: { port?: number; clock?: Clock } = {}): Promise<INestApplication> {
  return runService(BillingAppModule.forRoot(config, options.clock), {
    service: 'billing',
    port: options.port ?? config.BILLING_PORT,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
}
