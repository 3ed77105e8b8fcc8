import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, Reflector } from '@nestjs/core';
import { TOPICS } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EndpointsModule } from './endpoints/endpoints.module';
import { EventsModule } from './events/events.module';
import { InternalApiGuard } from './http/internal-api.guard';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { AdyenWebhooksModule } from './psp-webhooks/adyen/adyen-webhooks.module';
import { StripeWebhooksModule } from './psp-webhooks/stripe/stripe-webhooks.module';
import { ReceivedEventsModule } from './received-events/received-events.module';
import { UrlSafetyModule } from './url-safety/url-safety.module';
import { WebhooksConfig } from './webhooks.config';

/**
 * The webhooks service: PSP webhooks in (verified, stored once, normalized onto the webhooks
 * topic), merchant webhooks out (events built from intents' and billing's events, signed deliveries with
 * retries), and the merchant endpoints and events API behind the gateway.
 */
@Module({})
export class WebhooksAppModule {
  static forRoot(config: WebhooksConfig, clock?: Clock): DynamicModule {
    return {
      module: WebhooksAppModule,
      imports: [
        ServiceRuntimeModule.forService({
          service: 'webhooks',
          config,
          consumes: [TOPICS.intents, TOPICS.billing],
          clock,
        }),
        ReceivedEventsModule,
        StripeWebhooksModule,
        AdyenWebhooksModule,
        UrlSafetyModule,
        IdempotencyModule,
        EndpointsModule,
        DeliveriesModule,
        EventsModule,
      ],
      providers: [
        {
          provide: APP_GUARD,
          inject: [Reflector],
          useFactory: (reflector: Reflector) => new InternalApiGuard(config.INTERNAL_API_TOKEN, reflector),
        },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
