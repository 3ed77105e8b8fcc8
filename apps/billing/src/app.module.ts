import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TOPICS } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, InternalTokenGuard, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { BillingConfig } from './billing.config';
import { CollectionsModule } from './collections/collections.module';
import { CustomersModule } from './customers/customers.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InvoicesModule } from './invoices/invoices.module';
import { PaymentsModule } from './payments/payments.module';
import { PricesModule } from './prices/prices.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SettingsModule } from './settings/settings.module';
import { SubscriptionStreamsModule } from './subscriptions/subscription-streams.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { TestClocksModule } from './test-clocks/test-clocks.module';

/**
 * The billing service (DESIGN.md "Billing"): customers, prices, event-sourced subscriptions,
 * invoices derived from the streams, test clocks; the internal API behind the gateway's `/v1`.
 * It consumes intents' answers to its payment requests and dunning's decisions (retries, unusable
 * cards, final actions, the test clock gate).
 */
@Module({})
export class BillingAppModule {
  static forRoot(config: BillingConfig, clock?: Clock): DynamicModule {
    return {
      module: BillingAppModule,
      imports: [
        ServiceRuntimeModule.forService({ service: 'billing', config, consumes: [TOPICS.intents, TOPICS.dunning], clock }),
        IdempotencyModule,
        // ── CORE-A: customers, prices, billing settings, subscriptions ──────────────────────────
        CustomersModule,
        PricesModule,
        SettingsModule,
        SubscriptionStreamsModule,
        SubscriptionsModule,
        // ── CORE-B: InvoicesModule, SchedulerModule, PaymentsModule (one line each) ────────────
        InvoicesModule,
        SchedulerModule,
        PaymentsModule,
        // ── CLOCK: TestClocksModule ──────────────────────────────────────────────────────────────
        TestClocksModule,
        // ── DUNNING (issue 12): dunning's events and the test clock's dunning gate ───────────────
        CollectionsModule,
      ],
      providers: [
        { provide: APP_GUARD, useValue: new InternalTokenGuard(config.INTERNAL_API_TOKEN) },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
