import type { Provider } from '@payflow/contracts';
import type { RequestFault } from '../faults/fault-injector';

export interface WebhookCounters {
  queued: number;
  delivered: number;
  failedAttempts: number;
  /** Given up after the retry span. */
  dropped: number;
  /** Never sent at all (`webhook_drop`). */
  lost: number;
  duplicated: number;
  reordered: number;
}

function emptyWebhookCounters(): WebhookCounters {
  return { queued: 0, delivered: 0, failedAttempts: 0, dropped: 0, lost: 0, duplicated: 0, reordered: 0 };
}

/**
 * Counters behind `GET /_simulator/stats` and `GET /_simulator/charges`: what each simulated PSP
 * did, which faults it injected, and how its webhooks fared. Charges are also counted per PayFlow
 * reference (the attempt id PayFlow sent), so a test can prove one attempt never charged twice even
 * across different idempotency keys.
 */
export class SimulatorStats {
  private readonly operations: Record<Provider, Record<string, number>> = { stripe: {}, adyen: {} };
  private readonly faults: Record<Provider, Partial<Record<RequestFault, number>>> = {
    stripe: {},
    adyen: {},
  };
  private readonly webhooks: Record<Provider, WebhookCounters> = {
    stripe: emptyWebhookCounters(),
    adyen: emptyWebhookCounters(),
  };
  private readonly chargesByReference = new Map<string, number>();
  private readonly chargesByIntent = new Map<string, number>();

  count(provider: Provider, operation: string): void {
    this.operations[provider][operation] = (this.operations[provider][operation] ?? 0) + 1;
  }

  fault(provider: Provider, fault: RequestFault): void {
    if (fault === 'none') return;
    this.faults[provider][fault] = (this.faults[provider][fault] ?? 0) + 1;
  }

  /**
   * An authorization that took money (or reserved it) for PayFlow reference `reference` (the
   * attempt id, and Adyen's whole `<intent>:<attempt>` reference) and PayFlow intent `intentId`
   * (Stripe metadata `payflow_intent_id`, Adyen's reference). Per intent, so a
   * failover's second charge — another attempt, another key — still shows.
   */
  charge(provider: Provider, reference: string | string[] | undefined, intentId?: string): void {
    // Adyen's reference `<intent>:<attempt>` is counted under the whole reference and the attempt id.
    const references = new Set(typeof reference === 'string' ? [reference] : (reference ?? []));
    for (const one of references) {
      const id = `${provider}\u0000${one}`;
      this.chargesByReference.set(id, (this.chargesByReference.get(id) ?? 0) + 1);
    }
    if (intentId) {
      const id = `${provider}\u0000${intentId}`;
      this.chargesByIntent.set(id, (this.chargesByIntent.get(id) ?? 0) + 1);
    }
  }

  chargesForIntent(provider: Provider, intentId: string): number {
    return this.chargesByIntent.get(`${provider}\u0000${intentId}`) ?? 0;
  }

  chargesFor(provider: Provider, reference: string): number {
    return this.chargesByReference.get(`${provider}\u0000${reference}`) ?? 0;
  }

  webhook(provider: Provider, counter: keyof WebhookCounters): void {
    this.webhooks[provider][counter] += 1;
  }

  snapshot(provider: Provider): {
    operations: Record<string, number>;
    faults: Record<string, number>;
    webhooks: WebhookCounters;
    duplicateChargeReferences: string[];
  } {
    const prefix = `${provider}\u0000`;
    const duplicateChargeReferences = [...this.chargesByReference.entries()]
      .filter(([id, count]) => id.startsWith(prefix) && count > 1)
      .map(([id]) => id.slice(prefix.length));
    return {
      operations: { ...this.operations[provider] },
      faults: { ...this.faults[provider] } as Record<string, number>,
      webhooks: { ...this.webhooks[provider] },
      duplicateChargeReferences,
    };
  }
}
