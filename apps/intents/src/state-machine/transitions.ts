import type { CaptureMethod, PaymentIntentStatus } from '@payflow/contracts';

/**
 * THE transition table of a payment intent (DESIGN.md, "Payment intent state machine"). Every
 * write — a merchant's command, an orchestrator result, the expiry clock — asks `decide()` first;
 * nothing else in the service knows which moves are legal. Pure: no I/O, no clock.
 */

/** What a merchant (through the gateway) asks for. */
export const INTENT_COMMANDS = ['authorize', 'capture', 'cancel', 'refund'] as const;
export type IntentCommand = (typeof INTENT_COMMANDS)[number];

/** Outcomes reported by the orchestrator (`payment.*`), plus the authorization clock running out. */
export const INTENT_EVENTS = [
  'authorization_succeeded',
  'authorization_failed',
  'capture_succeeded',
  'capture_failed',
  'cancel_succeeded',
  'cancel_failed',
  'refund_succeeded',
  'refund_failed',
  'expire',
] as const;
export type IntentEvent = (typeof INTENT_EVENTS)[number];

export type IntentTrigger = IntentCommand | IntentEvent;

/** The facts a guard may look at besides the status. */
export interface TransitionFacts {
  status: PaymentIntentStatus;
  captureMethod: CaptureMethod;
  /** refund: what pending and succeeded refunds leave of `amount_received`. */
  refundable?: number;
  /** refund: the amount asked for (defaults to all that is refundable). */
  refundAmount?: number;
  /** refund_succeeded: whether succeeded refunds now add up to `amount_received`. */
  fullyRefunded?: boolean;
}

type Guard = (facts: TransitionFacts) => boolean;
type Target = PaymentIntentStatus | ((facts: TransitionFacts) => PaymentIntentStatus);

interface Rule {
  from: PaymentIntentStatus;
  on: IntentTrigger;
  to: Target;
  /** When it holds; a rule whose guard fails refuses the trigger like a missing rule. */
  when?: Guard;
  /** Why the guard exists, for the refusal message. */
  unless?: string;
}

const automaticOnly: Guard = (f) => f.captureMethod === 'automatic';
const somethingLeftToRefund: Guard = (f) => {
  const left = f.refundable ?? 0;
  return left > 0 && (f.refundAmount ?? left) <= left;
};
const afterRefund = (f: TransitionFacts): PaymentIntentStatus =>
  f.fullyRefunded ? 'refunded' : 'partially_refunded';

const RULES: readonly Rule[] = [
  // Merchant commands.
  { from: 'created', on: 'authorize', to: 'authorizing' },
  { from: 'failed', on: 'authorize', to: 'authorizing' }, // a declined intent may be tried again (dunning)
  { from: 'authorized', on: 'capture', to: 'capturing' },
  { from: 'created', on: 'cancel', to: 'canceled' }, // nothing at a PSP yet: canceled at once
  { from: 'authorized', on: 'cancel', to: 'canceling' }, // the PSP must void the authorization
  // A refund does not move the intent: its pending amount is reserved in amount_refunded.
  {
    from: 'captured',
    on: 'refund',
    to: 'captured',
    when: somethingLeftToRefund,
    unless: 'the amount exceeds what is left to refund',
  },
  {
    from: 'partially_refunded',
    on: 'refund',
    to: 'partially_refunded',
    when: somethingLeftToRefund,
    unless: 'the amount exceeds what is left to refund',
  },

  // Orchestrator results.
  { from: 'authorizing', on: 'authorization_succeeded', to: 'authorized' },
  { from: 'authorizing', on: 'authorization_failed', to: 'failed' },
  { from: 'capturing', on: 'capture_succeeded', to: 'captured' },
  // capture_method automatic: the orchestrator authorizes and captures, with or without reporting
  // the authorization first.
  { from: 'authorizing', on: 'capture_succeeded', to: 'captured', when: automaticOnly },
  { from: 'authorized', on: 'capture_succeeded', to: 'captured', when: automaticOnly },
  { from: 'capturing', on: 'capture_failed', to: 'authorized' }, // with last_error; may be captured again
  { from: 'authorizing', on: 'capture_failed', to: 'authorized', when: automaticOnly },
  { from: 'authorized', on: 'capture_failed', to: 'authorized', when: automaticOnly },
  { from: 'canceling', on: 'cancel_succeeded', to: 'canceled' },
  { from: 'canceling', on: 'cancel_failed', to: 'authorized' }, // with last_error
  { from: 'captured', on: 'refund_succeeded', to: afterRefund },
  { from: 'partially_refunded', on: 'refund_succeeded', to: afterRefund },
  { from: 'captured', on: 'refund_failed', to: 'captured' }, // the reservation is released
  { from: 'partially_refunded', on: 'refund_failed', to: 'partially_refunded' },

  // The authorization clock: an expired authorization is voided at its PSP.
  { from: 'authorized', on: 'expire', to: 'canceling' },
];

export type Decision = { allowed: true; to: PaymentIntentStatus } | { allowed: false; reason: string };

/** Whether `trigger` may happen to an intent with these facts, and the status it leads to. */
export function decide(trigger: IntentTrigger, facts: TransitionFacts): Decision {
  const candidates = RULES.filter((rule) => rule.on === trigger && rule.from === facts.status);
  for (const rule of candidates) {
    if (rule.when && !rule.when(facts)) continue;
    return { allowed: true, to: typeof rule.to === 'function' ? rule.to(facts) : rule.to };
  }
  const guarded = candidates.find((rule) => rule.unless);
  return {
    allowed: false,
    reason: guarded?.unless
      ? `Cannot ${describe(trigger)} this payment intent: ${guarded.unless}`
      : `Cannot ${describe(trigger)} a payment intent in status ${facts.status}`,
  };
}

/** The statuses from which `trigger` can ever be allowed (guards aside). */
export function statusesAllowing(trigger: IntentTrigger): PaymentIntentStatus[] {
  return [...new Set(RULES.filter((rule) => rule.on === trigger).map((rule) => rule.from))];
}

function describe(trigger: IntentTrigger): string {
  return (INTENT_COMMANDS as readonly string[]).includes(trigger)
    ? trigger
    : `apply ${trigger.replace('_', ' ')} to`;
}
