import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TOPICS } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, InternalTokenGuard, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { ExpiryModule } from './expiry/expiry.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { IntentsConfig } from './intents.config';
import { InvoicePaymentsModule } from './invoice-payments/invoice-payments.module';
import { MerchantsModule } from './merchants/merchants.module';
import { PaymentIntentsModule } from './payment-intents/payment-intents.module';
import { RefundsModule } from './refunds/refunds.module';
import { ResultsModule } from './results/results.module';
import { StateMachineModule } from './state-machine/state-machine.module';
import { SyncWaitModule } from './sync-wait/sync-wait.module';

@Module({})
export class IntentsAppModule {
  static forRoot(config: IntentsConfig, clock?: Clock): DynamicModule {
    return {
      module: IntentsAppModule,
      imports: [
        ServiceRuntimeModule.forService({
          service: 'intents',
          config,
          // Billing's payment commands and the gateway's merchant events (fee schedules) too.
          consumes: [TOPICS.orchestrator, TOPICS.billing, TOPICS.gateway],
          clock,
        }),
        StateMachineModule,
        IdempotencyModule,
        SyncWaitModule,
        PaymentIntentsModule,
        RefundsModule,
        ResultsModule,
        ExpiryModule,
        MerchantsModule,
        InvoicePaymentsModule,
      ],
      providers: [
        { provide: APP_GUARD, useValue: new InternalTokenGuard(config.INTERNAL_API_TOKEN) },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
