import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PROVIDERS, type Provider } from '@payflow/contracts';
import { WebhookDispatcher, type PendingWebhooks } from '../notifications/webhook-dispatcher';
import { IdempotencyStore, type KeyRecord } from '../shared/idempotency-store';
import { SimulatorStats } from '../shared/simulator-stats';

/**
 * What tests ask the simulator to prove nothing was charged twice:
 * - `GET /_simulator/charges?key=<idempotency key>[&provider=]` — how often the operation under
 *   that key actually ran (`charges`, 0 or 1 unless idempotency broke) and was replayed;
 * - `GET /_simulator/charges?reference=<attempt id>&provider=` — successful authorizations made
 *   for that PayFlow reference, whatever keys were used;
 * - `GET /_simulator/charges?intent=<payment intent id>[&provider=]` — successful authorizations
 *   made for that PayFlow intent (Stripe metadata `payflow_intent_id`, Adyen reference
 *   `<intent>:<attempt>`) across both PSPs unless `provider`
 *   is given: more than 1 is a double charge, a failover's included;
 * - `GET /_simulator/webhooks/pending` — webhooks not yet delivered nor given up (`pending`, per
 *   provider, and how many are `retrying`): 0 when the PSPs owe PayFlow nothing;
 * - `GET /_simulator/stats` — per provider: operations, injected faults, webhook deliveries,
 *   idempotency totals, and any key or reference that charged more than once.
 */
@ApiExcludeController()
@Controller('_simulator')
export class SimulatorAdminController {
  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly stats: SimulatorStats,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @Get('webhooks/pending')
  pendingWebhooks(): PendingWebhooks {
    return this.webhooks.pending();
  }

  @Get('charges')
  charges(
    @Query('key') key?: string,
    @Query('reference') reference?: string,
    @Query('provider') provider?: string,
    @Query('intent') intent?: string,
  ): { key?: string; reference?: string; intent?: string; charges: number; replays?: number; records?: KeyRecord[] } {
    if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider))
      throw new BadRequestException('provider must be stripe or adyen');
    const scoped = provider as Provider | undefined;
    if (key) {
      const records = this.idempotency.lookup(scoped, key);
      return {
        key,
        charges: records.reduce((sum, record) => sum + record.executions, 0),
        replays: records.reduce((sum, record) => sum + record.replays, 0),
        records,
      };
    }
    if (reference) {
      const providers: Provider[] = scoped ? [scoped] : ['stripe', 'adyen'];
      return {
        reference,
        charges: providers.reduce((sum, p) => sum + this.stats.chargesFor(p, reference), 0),
      };
    }
    if (intent) {
      const providers: Provider[] = scoped ? [scoped] : ['stripe', 'adyen'];
      return { intent, charges: providers.reduce((sum, p) => sum + this.stats.chargesForIntent(p, intent), 0) };
    }
    throw new BadRequestException('give key, reference or intent');
  }

  @Get('stats')
  all(): Record<Provider, unknown> & { duplicateKeys: KeyRecord[] } {
    const of = (provider: Provider) => ({
      ...this.stats.snapshot(provider),
      idempotency: this.idempotency.totals(provider),
    });
    return { stripe: of('stripe'), adyen: of('adyen'), duplicateKeys: this.idempotency.duplicates() };
  }
}
