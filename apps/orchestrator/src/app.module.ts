import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TOPICS } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, InternalTokenGuard, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { NotificationsModule } from './notifications/notifications.module';
import { OrchestratorConfig } from './orchestrator.config';
import { RequestsModule } from './requests/requests.module';
import { RoutingRulesModule } from './routing-rules/routing-rules.module';
import { WorkerModule } from './worker/worker.module';

@Module({})
export class OrchestratorAppModule {
  static forRoot(config: OrchestratorConfig, clock?: Clock): DynamicModule {
    return {
      module: OrchestratorAppModule,
      imports: [
        ServiceRuntimeModule.forService({
          service: 'orchestrator',
          config,
          consumes: [TOPICS.intents, TOPICS.webhooks],
          clock,
        }),
        RequestsModule,
        NotificationsModule,
        WorkerModule,
        RoutingRulesModule,
      ],
      providers: [
        { provide: APP_GUARD, useValue: new InternalTokenGuard(config.INTERNAL_API_TOKEN) },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
