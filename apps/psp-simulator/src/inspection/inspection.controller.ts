import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Provider } from '@payflow/contracts';
import { AdyenPaymentsService } from '../adyen/adyen-payments.service';
import { SimulatorStats } from '../shared/simulator-stats';
import { StripePaymentsService } from '../stripe/stripe-payments.service';
import type { HeldPayment } from './held-payment';

/**
 * `GET /_simulator/inspection/payments` — everything both simulated PSPs hold, for the chaos
 * harness's invariants ("every intent agrees with what the PSPs hold", "no intent charged twice").
 * Read-only.
 */
@ApiExcludeController()
@Controller('_simulator/inspection')
export class InspectionController {
  constructor(
    private readonly stripe: StripePaymentsService,
    private readonly adyen: AdyenPaymentsService,
    private readonly stats: SimulatorStats,
  ) {}

  @Get('payments')
  payments(): { payments: HeldPayment[] } {
    return { payments: [...this.stripe.heldPayments(), ...this.adyen.heldPayments()] };
  }

  /** Webhooks queued and not yet delivered or dropped (duplicates included), per provider. */
  @Get('webhooks')
  webhooks(): Record<Provider, { pending: number }> {
    const pending = (provider: Provider) => {
      const w = this.stats.snapshot(provider).webhooks;
      return { pending: Math.max(0, w.queued + w.duplicated - w.delivered - w.dropped - w.lost) };
    };
    return { stripe: pending('stripe'), adyen: pending('adyen') };
  }
}
