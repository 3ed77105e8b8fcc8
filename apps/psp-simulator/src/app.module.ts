import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthModule } from '@payflow/platform/health';
import {
  MetricsModule,
  REDACTION_CENSOR,
  createHttpLoggerOptions,
  createRedactionPaths,
} from '@payflow/platform/observability';
import { SimulatorAdminController } from './admin/simulator-admin.controller';
import { AdyenSimulatorModule } from './adyen/adyen.module';
import { FaultInjector } from './faults/fault-injector';
import { parseFaultSpec } from './faults/fault-spec';
import { FaultsModule } from './faults/faults.module';
import { InspectionController } from './inspection/inspection.controller';
import { WebhookDispatcher } from './notifications/webhook-dispatcher';
import { AuthorizationCounts } from './shared/authorization-counts';
import { IdempotencyStore } from './shared/idempotency-store';
import { PspRequestRunner } from './shared/psp-request-runner';
import { Scheduler } from './shared/scheduler';
import { SimulatorStats } from './shared/simulator-stats';
import { SimulatorConfig } from './simulator.config';
import { StripeSimulatorModule } from './stripe/stripe.module';

export const SERVICE_NAME = 'psp-simulator';

/**
 * Headers the simulator receives that the platform's redaction does not know: Adyen's API key
 * header. Never logged.
 */
const SIMULATOR_SECRET_HEADERS = ['req.headers["x-api-key"]'];

/** Everything the simulator's modules share: configuration, fault decisions, state counters, webhooks. */
@Global()
@Module({})
class SimulatorCoreModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    const faults = new FaultInjector(config.SIMULATOR_SEED, {
      stripe: parseFaultSpec(config.SIMULATOR_FAULTS_STRIPE),
      adyen: parseFaultSpec(config.SIMULATOR_FAULTS_ADYEN),
    });
    const providers = [
      { provide: SimulatorConfig, useValue: config },
      { provide: FaultInjector, useValue: faults },
      { provide: IdempotencyStore, useValue: new IdempotencyStore() },
      { provide: SimulatorStats, useValue: new SimulatorStats() },
      { provide: AuthorizationCounts, useValue: new AuthorizationCounts() },
      Scheduler,
      WebhookDispatcher,
      PspRequestRunner,
    ];
    return {
      module: SimulatorCoreModule,
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}

/** The PSP simulator: Stripe's and Adyen's APIs, fault injection, signed webhooks. No database. */
@Module({})
export class SimulatorAppModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    const http = createHttpLoggerOptions(SERVICE_NAME, config.LOG_LEVEL);
    return {
      module: SimulatorAppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...http,
            redact: {
              paths: [...createRedactionPaths(), ...SIMULATOR_SECRET_HEADERS],
              censor: REDACTION_CENSOR,
            },
          },
        }),
        MetricsModule.forService(SERVICE_NAME, config.PROMETHEUS_PORT),
        HealthModule.forRoot({ checks: [] }),
        SimulatorCoreModule.forRoot(config),
        StripeSimulatorModule,
        AdyenSimulatorModule,
        FaultsModule,
      ],
      controllers: [SimulatorAdminController, InspectionController],
    };
  }
}
