import type { Provider } from '@payflow/contracts';

/**
 * A merchant's routing rule (table `routing_rules`, admin API `/internal/v1/routing-rules`). Every
 * condition that is set must match; the first enabled matching rule in priority order (lowest
 * first) decides the providers and their order. Amounts are inclusive, in minor units.
 */
export interface RoutingRule {
  id: string;
  merchant_id: string;
  priority: number;
  enabled: boolean;
  currency: string | null;
  min_amount: number | null;
  max_amount: number | null;
  card_brand: string | null;
  /** Providers in preference order; only these are used when the rule matches. */
  providers: Provider[];
  /**
   * Volume split: one weight per provider. The primary is drawn by a stable hash of the intent id
   * in proportion to the weights; the others follow in listed order as fallbacks. null: no split.
   */
  weights: number[] | null;
  created_at: Date;
  updated_at: Date;
}
