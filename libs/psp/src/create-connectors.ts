import type { Provider } from '@payflow/contracts';
import type { PspConnector } from './core/psp-connector';
import { AdyenConnector } from './adyen/adyen.connector';
import type { AdyenConnectorOptions } from './adyen/adyen.options';
import { StripeConnector } from './stripe/stripe.connector';
import type { StripeConnectorOptions } from './stripe/stripe.options';

export interface PspConnectorsConfig {
  stripe: StripeConnectorOptions;
  adyen: AdyenConnectorOptions;
}

/** Every PSP connector PayFlow has, by provider: the orchestrator's routing picks among them. */
export type PspConnectors = Readonly<Record<Provider, PspConnector>>;

export function createConnectors(config: PspConnectorsConfig): PspConnectors {
  return Object.freeze({
    stripe: new StripeConnector(config.stripe),
    adyen: new AdyenConnector(config.adyen),
  });
}

/** Closes every connector's connections (service shutdown). */
export async function closeConnectors(connectors: PspConnectors): Promise<void> {
  await Promise.all(Object.values(connectors).map((connector) => connector.close()));
}
