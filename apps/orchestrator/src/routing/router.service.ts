import { Inject, Injectable } from '@nestjs/common';
import { PROVIDERS, type Provider } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import type { PspConnectors } from '@payflow/psp';
import { ProviderBreakers } from '../breakers/provider-breakers';
import { PSP_CONNECTORS } from '../psp/psp.module';
import { RoutingRulesRepository } from '../routing-rules/routing-rules.repository';
import {
  applyHealth,
  nextCandidate,
  planRoute,
  type PaymentToRoute,
  type ProviderCapabilities,
  type RouteDecision,
} from './route-payment';

/** Routing with its inputs gathered: the connectors' capabilities, the merchant's rules, the breakers. */
@Injectable()
export class Router {
  private readonly capabilities: ProviderCapabilities[];

  constructor(
    @Inject(PSP_CONNECTORS) connectors: PspConnectors,
    private readonly rules: RoutingRulesRepository,
    private readonly breakers: ProviderBreakers,
  ) {
    this.capabilities = PROVIDERS.map((provider) => ({
      provider,
      capabilities: connectors[provider].capabilities,
    }));
  }

  async route(tx: Tx, merchantId: string, payment: PaymentToRoute): Promise<RouteDecision> {
    const plan = planRoute(payment, this.capabilities, await this.rules.forMerchant(tx, merchantId));
    return applyHealth(plan, (provider) => this.breakers.isAvailable(provider));
  }

  /** The failover target of an authorization, or null when no other eligible PSP can take a call now. */
  failoverTarget(route: readonly Provider[], tried: readonly string[]): Provider | null {
    return nextCandidate(route, tried, (provider) => this.breakers.isAvailable(provider));
  }
}
