import { normalizeCurrency, type CaptureMethod, type Provider } from '@payflow/contracts';
import { checkCapabilities, type PspCapabilities } from '@payflow/psp';
import { cardBrandOf, paymentMethodTypeOf } from './card-brand';
import type { RoutingRule } from './routing-rule';
import { stableBucket } from './stable-hash';

/** Without a matching merchant rule: Stripe first, then Adyen. */
export const DEFAULT_PROVIDER_ORDER: readonly Provider[] = ['stripe', 'adyen'];

export interface PaymentToRoute {
  intentId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  captureMethod: CaptureMethod;
}

export interface ProviderCapabilities {
  provider: Provider;
  capabilities: PspCapabilities;
}

export interface RoutePlan {
  /** Eligible providers in preference order (capability, then merchant rules). */
  candidates: Provider[];
  /** The rule that decided the order, or null for the default order. */
  ruleId: string | null;
  /** Why each provider left out was left out. */
  excluded: { provider: Provider; reason: string }[];
}

export interface RouteDecision extends RoutePlan {
  /** The provider to call first: the first candidate whose breaker lets a call through. */
  provider: Provider | null;
  /** True when every candidate's breaker is open: the first is used, and its call waits. */
  allUnavailable: boolean;
  /** Human-readable summary stored with the attempt. */
  reason: string;
}

export function ruleMatches(rule: RoutingRule, payment: PaymentToRoute): boolean {
  if (!rule.enabled) return false;
  if (rule.currency !== null && rule.currency !== normalizeCurrency(payment.currency)) return false;
  if (rule.min_amount !== null && payment.amount < rule.min_amount) return false;
  if (rule.max_amount !== null && payment.amount > rule.max_amount) return false;
  if (rule.card_brand !== null && rule.card_brand !== cardBrandOf(payment.paymentMethod)) return false;
  return true;
}

/** A rule's providers in order for this intent: with weights, the hashed primary first. */
export function orderOfRule(rule: RoutingRule, intentId: string): Provider[] {
  const weights = rule.weights;
  if (!weights || weights.length !== rule.providers.length) return [...rule.providers];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return [...rule.providers];
  let bucket = stableBucket(intentId, total);
  let primary = rule.providers[0];
  for (let index = 0; index < weights.length; index++) {
    if (bucket < weights[index]) {
      primary = rule.providers[index];
      break;
    }
    bucket -= weights[index];
  }
  return [primary, ...rule.providers.filter((provider) => provider !== primary)];
}

/**
 * Capability first, then merchant rules: which providers may take this payment, in which order.
 * Pure, so a redelivered request plans the same route.
 */
export function planRoute(
  payment: PaymentToRoute,
  connectors: readonly ProviderCapabilities[],
  rules: readonly RoutingRule[],
): RoutePlan {
  const excluded: RoutePlan['excluded'] = [];
  const capable = new Set<Provider>();
  for (const { provider, capabilities } of connectors) {
    const check = checkCapabilities(capabilities, {
      amount: payment.amount,
      currency: payment.currency,
      paymentMethodType: paymentMethodTypeOf(payment.paymentMethod),
      captureMethod: payment.captureMethod,
    });
    if (check.ok) capable.add(provider);
    else excluded.push({ provider, reason: check.reason });
  }
  const rule = [...rules]
    .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))
    .find((r) => ruleMatches(r, payment));
  const order = rule
    ? orderOfRule(rule, payment.intentId)
    : [...DEFAULT_PROVIDER_ORDER, ...connectors.map((c) => c.provider)];
  const candidates: Provider[] = [];
  for (const provider of order)
    if (capable.has(provider) && !candidates.includes(provider)) candidates.push(provider);
  if (rule) {
    for (const provider of capable) {
      if (!candidates.includes(provider))
        excluded.push({ provider, reason: `not in routing rule ${rule.id}` });
    }
  }
  return { candidates, ruleId: rule?.id ?? null, excluded };
}

/** Then health: open breakers are skipped; if all are open, the first candidate is kept (its call waits). */
export function applyHealth(plan: RoutePlan, isAvailable: (provider: Provider) => boolean): RouteDecision {
  const available = plan.candidates.find((provider) => isAvailable(provider)) ?? null;
  const provider = available ?? plan.candidates[0] ?? null;
  const allUnavailable = plan.candidates.length > 0 && available === null;
  const skipped = plan.candidates.slice(0, provider ? plan.candidates.indexOf(provider) : 0);
  const parts = [
    plan.ruleId ? `rule ${plan.ruleId}` : 'default order',
    `candidates ${plan.candidates.join(',') || 'none'}`,
  ];
  if (skipped.length) parts.push(`breaker open: ${skipped.join(',')}`);
  if (allUnavailable) parts.push('every breaker open');
  if (plan.excluded.length)
    parts.push(`excluded ${plan.excluded.map((e) => `${e.provider} (${e.reason})`).join(', ')}`);
  return { ...plan, provider, allUnavailable, reason: parts.join('; ') };
}

/** Where an authorization fails over to: the next candidate not tried yet whose breaker lets calls through. */
export function nextCandidate(
  route: readonly Provider[],
  tried: readonly string[],
  isAvailable: (provider: Provider) => boolean,
): Provider | null {
  return route.find((provider) => !tried.includes(provider) && isAvailable(provider)) ?? null;
}
