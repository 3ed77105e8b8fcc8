import { Controller, Get } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Provider } from '@payflow/contracts';
import { AdyenPaymentsService } from '../adyen/adyen-payments.service';
import type { AdyenPayment } from '../adyen/adyen-objects';
import { SimulatorStats } from '../shared/simulator-stats';
import { StripePaymentsService } from '../stripe/stripe-payments.service';
import type { StripePaymentIntent } from '../stripe/stripe-objects';

/** One payment as a simulated PSP holds it, in one shape for both PSPs. */
export interface HeldPayment {
  provider: Provider;
  psp_reference: string;
  /** The PayFlow intent and attempt the payment was made for (from its metadata). */
  intent_id: string | null;
  attempt_id: string | null;
  amount: number;
  currency: string;
  /** The authorization succeeded (money reserved or taken), whatever happened after. */
  authorized: boolean;
  captured: number;
  refunded: number;
  canceled: boolean;
}

/**
 * `GET /_simulator/inspection/payments` — everything both simulated PSPs hold, for the chaos
 * harness's invariants ("every intent agrees with what the PSPs hold", "no intent charged twice").
 * Read-only; the payments services keep their state private, so it is read here rather than
 * through a new method on them.
 */
@ApiExcludeController()
@Controller('_simulator/inspection')
export class InspectionController {
  constructor(
    private readonly modules: ModuleRef,
    private readonly stats: SimulatorStats,
  ) {}

  @Get('payments')
  payments(): { payments: HeldPayment[] } {
    const stripe = this.modules.get(StripePaymentsService, { strict: false }) as unknown as {
      intents: Map<string, StripePaymentIntent>;
      refunded: Map<string, number>;
    };
    const adyen = this.modules.get(AdyenPaymentsService, { strict: false }) as unknown as {
      payments: Map<string, AdyenPayment>;
    };
    const payments: HeldPayment[] = [];
    for (const intent of stripe.intents.values()) {
      payments.push({
        provider: 'stripe',
        psp_reference: intent.id,
        intent_id: intent.metadata['payflow_intent_id'] ?? null,
        attempt_id: intent.metadata['payflow_attempt_id'] ?? null,
        amount: intent.amount,
        currency: intent.currency.toUpperCase(),
        authorized:
          ['requires_capture', 'succeeded'].includes(intent.status) ||
          (intent.status === 'canceled' && intent.latest_charge !== null && intent.last_payment_error === null),
        captured: intent.amount_received,
        refunded: stripe.refunded.get(intent.id) ?? 0,
        canceled: intent.status === 'canceled',
      });
    }
    for (const payment of adyen.payments.values()) {
      payments.push({
        provider: 'adyen',
        psp_reference: payment.pspReference,
        intent_id: payment.metadata['payflow_intent_id'] ?? payment.merchantOrderReference ?? null,
        attempt_id: payment.metadata['payflow_attempt_id'] ?? payment.reference,
        amount: payment.amount.value,
        currency: payment.amount.currency,
        authorized: payment.authorised,
        captured: payment.captured,
        refunded: payment.refunded,
        canceled: payment.cancelled,
      });
    }
    return { payments };
  }

  /** Webhooks queued and not yet delivered or dropped (duplicates included), per provider. */
  @Get('webhooks')
  webhooks(): Record<Provider, { pending: number }> {
    const pending = (provider: Provider) => {
      const w = this.stats.snapshot(provider).webhooks;
      return { pending: Math.max(0, w.queued + w.duplicated - w.delivered - w.dropped) };
    };
    return { stripe: pending('stripe'), adyen: pending('adyen') };
  }
}
