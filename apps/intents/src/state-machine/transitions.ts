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
  // The PSP's last word (issue 10): a failure after a success, or a success PayFlow had given up on.
  'capture_reversed',
  'refund_reversed',
  'late_success',
] as const;
export type IntentEvent = (typeof INTENT_EVENTS)[number];

export type IntentTrigger = IntentCommand | IntentEvent;

/** The facts a guard may look at besides the status. */
export interface TransitionFacts {
  status: PaymentIntentStatus;
  captureMethod: CaptureMethod;
  /** Whether the intent pays a billing invoice (off-session, automatic capture). */
  invoice?: boolean;
  /** refund: what pending and succeeded refunds leave of `amount_received`. */
  refundable?: number;
  /** refund: the amount asked for (defaults to all that is refundable). */
  refundAmount?: number;
  /** refund_succeeded: whether succeeded refunds now add up to `amount_received`. */
  fullyRefunded?: boolean;
  /** refund_reversed: what succeeded refunds add up to once the reversed one no longer counts. */
  refundedAfterReversal?: number;
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
const automaticInvoice: Guard = (f) => f.captureMethod === 'automatic' && f.invoice === true;
const somethingLeftToRefund: Guard = (f) => {
  const left = f.refundable ?? 0;
  return left > 0 && (f.refundAmount ?? left) <= left;
};
const afterRefund = (f: TransitionFacts): PaymentIntentStatus =>
  f.fullyRefunded ? 'refunded' : 'partially_refunded';
// A reversed refund counts no more: the intent is refunded only as far as the others still go (a
// reversal of R > 0 never leaves the capture fully refunded: before it, the sum was at most the capture).
const afterRefundReversal = (f: TransitionFacts): PaymentIntentStatus =>
  (f.refundedAfterReversal ?? 0) > 0 ? 'partially_refunded' : 'captured';

/** Every status: a late success is a fact about an earlier attempt and never moves the intent. */
const EVERY_STATUS = [
  'created',
  'authorizing',
  'authorized',
  'capturing',
  'captured',
  'partially_refunded',
  'refunded',
  'canceling',
  'canceled',
  'failed',
] as const satisfies readonly PaymentIntentStatus[];

/**
 * Statuses an intent may be in when a refund made before its capture was reversed still settles or
 * is reversed: `failed` after the reversed capture, and whatever a new authorization of it led to.
 * The refund settles; the status stays (nothing the intent holds now came from that refund).
 */
const UNCAPTURED_SINCE: readonly PaymentIntentStatus[] = [
  'authorizing',
  'authorized',
  'capturing',
  'canceling',
  'canceled',
  'failed',
];

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
  // An invoice's automatic capture that fails is a failed payment (DESIGN.md, "Billing"): nobody
  // would capture it later, so its authorization is voided at once (the write asks for the void) and
  // the intent is `failed`, which dunning's next attempt authorizes again. Before the general rules.
  { from: 'authorizing', on: 'capture_failed', to: 'failed', when: automaticInvoice },
  { from: 'authorized', on: 'capture_failed', to: 'failed', when: automaticInvoice },
  { from: 'authorizing', on: 'capture_failed', to: 'authorized', when: automaticOnly },
  { from: 'authorized', on: 'capture_failed', to: 'authorized', when: automaticOnly },
  { from: 'canceling', on: 'cancel_succeeded', to: 'canceled' },
  { from: 'canceling', on: 'cancel_failed', to: 'authorized' }, // with last_error
  { from: 'captured', on: 'refund_succeeded', to: afterRefund },
  { from: 'partially_refunded', on: 'refund_succeeded', to: afterRefund },
  { from: 'captured', on: 'refund_failed', to: 'captured' }, // the reservation is released
  { from: 'partially_refunded', on: 'refund_failed', to: 'partially_refunded' },

  // Item 7 of issue 10: the automatic capture was reported after a cancel was asked for. The PSP has
  // captured, so its word wins; the void will fail at the PSP and its cancel_failed no longer applies.
  { from: 'canceling', on: 'capture_succeeded', to: 'captured', when: automaticOnly },

  // The authorization clock: an expired authorization is voided at its PSP.
  { from: 'authorized', on: 'expire', to: 'canceling' },

  // The PSP's last word (docs/orchestrator.md): a capture it reported succeeded failed after all
  // (Adyen CAPTURE_FAILED). Nothing was charged: the intent fails, and may be authorized again.
  // From capturing when the reversal overtook the capture's own result.
  { from: 'capturing', on: 'capture_reversed', to: 'failed' },
  { from: 'captured', on: 'capture_reversed', to: 'failed' },
  { from: 'partially_refunded', on: 'capture_reversed', to: 'failed' },
  { from: 'refunded', on: 'capture_reversed', to: 'failed' },
  // A refund it reported succeeded failed or came back: that amount is no longer refunded.
  { from: 'captured', on: 'refund_reversed', to: afterRefundReversal },
  { from: 'partially_refunded', on: 'refund_reversed', to: afterRefundReversal },
  { from: 'refunded', on: 'refund_reversed', to: afterRefundReversal },
  // A refund still pending when its capture was reversed settles whatever the intent went on to.
  ...UNCAPTURED_SINCE.flatMap((from): Rule[] =>
    (['refund_reversed', 'refund_succeeded', 'refund_failed'] as const).map((on) => ({ from, on, to: from })),
  ),
  // A success PayFlow had already failed is reported and reversed at the PSP: the intent stays.
  ...EVERY_STATUS.map((from): Rule => ({ from, on: 'late_success', to: from })),
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
