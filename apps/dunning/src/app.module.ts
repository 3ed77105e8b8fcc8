import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TOPICS } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, InternalTokenGuard, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { BudgetsModule } from './budgets/budgets.module';
import { CasesModule } from './cases/cases.module';
import { ClocksModule } from './clocks/clocks.module';
import { DunningConfig } from './dunning.config';
import { EventsModule } from './events/events.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SettingsModule } from './settings/settings.module';

/**
 * The dunning service (DESIGN.md "Collections and dunning"): collection cases of failed invoice
 * payments, decided by pure functions (decisions/, budgets/budget-rules.ts) from the decline, the
 * merchant's settings and the card's budget; retries on the customer's clock. It consumes billing's
 * invoice, card and clock events and intents' authorizations, and answers through its outbox on
 * `payflow.dunning.v1`; its internal API is behind the gateway's `/v1/dunning_settings` and
 * `/v1/invoices/{id}/payment_attempts`.
 */
@Module({})
export class DunningAppModule {
  static forRoot(config: DunningConfig, clock?: Clock): DynamicModule {
    return {
      module: DunningAppModule,
      imports: [
        ServiceRuntimeModule.forService({ service: 'dunning', config, consumes: [TOPICS.billing, TOPICS.intents], clock }),
        IdempotencyModule,
        EventsModule,
        ClocksModule,
        SettingsModule,
        BudgetsModule,
        CasesModule,
        SchedulerModule,
      ],
      providers: [
        { provide: APP_GUARD, useValue: new InternalTokenGuard(config.INTERNAL_API_TOKEN) },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
