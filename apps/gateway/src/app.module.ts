import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BalanceModule } from './balance/balance.module';
import { BillingModule } from './billing/billing.module';
import { GatewayConfig } from './config/gateway.config';
import { EventsModule } from './events/events.module';
import { ForwardingModule } from './forwarding/forwarding.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { PaymentIntentsModule } from './payment-intents/payment-intents.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { WebhookEndpointsModule } from './webhook-endpoints/webhook-endpoints.module';
import { WebhooksPassthroughModule } from './webhooks-passthrough/webhooks-passthrough.module';

/**
 * The public entry of PayFlow. It holds merchants, keys and the audit log, and no payment state:
 * every /v1 call is forwarded to the service that owns it. No Kafka consumer; its outbox relay
 * publishes the merchant events (`merchant.created` / `.updated` on payflow.gateway.v1).
 */
@Module({})
export class GatewayAppModule {
  static forRoot(config: GatewayConfig, clock?: Clock): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ServiceRuntimeModule.forService({ service: 'gateway', config, clock }),
        RedisModule,
        AuthModule,
        RateLimitModule,
        IdempotencyModule,
        ForwardingModule,
        PaymentIntentsModule,
        BalanceModule,
        WebhookEndpointsModule,
        EventsModule,
        BillingModule,
        AdminModule,
        WebhooksPassthroughModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
