import type { Provider } from '@payflow/contracts';
import type { RoutingRule } from '../routing/routing-rule';

/** A routing rule as the admin API shows it. */
export interface RoutingRuleObject {
  id: string;
  object: 'routing_rule';
  merchant_id: string;
  priority: number;
  enabled: boolean;
  currency: string | null;
  min_amount: number | null;
  max_amount: number | null;
  card_brand: string | null;
  providers: Provider[];
  weights: number[] | null;
  created: string;
  updated: string;
}

export function routingRuleObject(rule: RoutingRule): RoutingRuleObject {
  return {
    id: rule.id,
    object: 'routing_rule',
    merchant_id: rule.merchant_id,
    priority: rule.priority,
    enabled: rule.enabled,
    currency: rule.currency,
    min_amount: rule.min_amount,
    max_amount: rule.max_amount,
    card_brand: rule.card_brand,
    providers: rule.providers,
    weights: rule.weights,
    created: rule.created_at.toISOString(),
    updated: rule.updated_at.toISOString(),
  };
}
