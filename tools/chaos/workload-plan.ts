/**
 * The seeded workload: which merchants exist and what each payment does. Pure, so the same seed
 * gives the same plan; the workload runner only executes it.
 */
import type { Provider } from '@payflow/contracts';
import { randomStream } from './prng';

export interface MerchantPlan {
  name: string;
  feeBps: number;
  /** Fixed fee per currency, minor units (every currency the workload uses is named). */
  feeFixed: Record<string, number>;
  /** Routing rule: providers in order (both PSPs are used across merchants). */
  providers: Provider[];
}

export type AfterAuthorization = 'capture_full' | 'capture_partial' | 'cancel' | 'hold';

export interface PaymentPlan {
  index: number;
  merchant: number;
  amount: number;
  currency: string;
  paymentMethod: string;
  captureMethod: 'manual' | 'automatic';
  /** What a manual-capture payment does once authorized. */
  after: AfterAuthorization;
  /** For `capture_partial`: the amount captured. */
  captureAmount?: number;
  /** Refund amounts, in order, taken from what was captured (never more in total). */
  refunds: number[];
  /**
   * Authorizations tried before the payment counts as declined (the merchant retrying a soft decline,
   * as dunning would): 3 for `pm_card_insufficientFundsTwice`, which is declined twice, else 1.
   */
  authorizeTries: number;
}

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'] as const;

const ROUTES: Provider[][] = [
  ['stripe', 'adyen'],
  ['adyen', 'stripe'],
  ['stripe'],
  ['adyen'],
  ['stripe', 'adyen'],
  ['adyen', 'stripe'],
];

/** API.md's test cards: mostly successful, some declines of each kind. */
const CARDS: readonly (readonly [string, number])[] = [
  ['pm_card_visa', 60],
  ['pm_card_mastercard', 25],
  ['pm_card_chargeDeclined', 5],
  ['pm_card_chargeDeclinedInsufficientFunds', 5],
  ['pm_card_chargeDeclinedLostCard', 5],
];

/**
 * With PSP-side faults (`--psp-faults`), the cards of issue 10 too (API.md): hard declines with their
 * network and advice codes, a card declined twice before it is approved, and cards whose capture or
 * refund the PSP takes back later.
 */
const LAST_WORD_CARDS: readonly (readonly [string, number])[] = [
  ['pm_card_visa', 45],
  ['pm_card_mastercard', 20],
  ['pm_card_chargeDeclined', 4],
  ['pm_card_chargeDeclinedInsufficientFunds', 4],
  ['pm_card_chargeDeclinedLostCard', 4],
  ['pm_card_visa_chargeDeclinedStolenCard', 3],
  ['pm_card_mastercard_doNotTryAgain', 3],
  ['pm_card_insufficientFundsTwice', 5],
  ['pm_card_captureFailsLater', 4],
  ['pm_card_refundFailsLater', 5],
  ['pm_card_refundReversedLater', 3],
];

const CAPTURE_FAILS_LATER = 'pm_card_captureFailsLater';
const REFUND_FAILS_LATER = ['pm_card_refundFailsLater', 'pm_card_refundReversedLater'];
const DECLINED_TWICE = 'pm_card_insufficientFundsTwice';

/**
 * Which PSP a card's later word is sent by, given the merchant's route. A capture can fail later only
 * at Adyen (CAPTURE_FAILED): the card goes to merchants that try Adyen first. A refund failing later
 * goes to Adyen-only merchants: on Stripe it is a `refund.failed` webhook nothing in PayFlow waits
 * for, so a `webhook_drop` window would make it unknowable (the `refund_failed` fault covers Stripe
 * in windows without drops, schedule.ts). Elsewhere the card becomes `pm_card_visa`.
 */
export function cardForRoute(card: string, route: readonly Provider[]): string {
  if (card === CAPTURE_FAILS_LATER && route[0] !== 'adyen') return 'pm_card_visa';
  if (REFUND_FAILS_LATER.includes(card) && !(route.length === 1 && route[0] === 'adyen'))
    return 'pm_card_visa';
  return card;
}

export interface PlanOptions {
  /** Mix in issue 10's cards (with `--psp-faults`); needs the merchants' routes. */
  lastWordCards?: boolean;
  /** Each merchant's providers, in order (planMerchants). */
  routes?: readonly (readonly Provider[])[];
}

export function planMerchants(seed: number, count = ROUTES.length): MerchantPlan[] {
  const random = randomStream(seed, 'merchants');
  return Array.from({ length: count }, (_, i) => ({
    name: `chaos ${seed} merchant ${i}`,
    feeBps: random.int(100, 400),
    feeFixed: Object.fromEntries(
      CURRENCIES.map((currency) => [currency, currency === 'JPY' ? random.int(0, 20) : random.int(0, 50)]),
    ),
    providers: ROUTES[i % ROUTES.length],
  }));
}

export function planPayments(
  seed: number,
  payments: number,
  merchants: number,
  options: PlanOptions = {},
): PaymentPlan[] {
  const random = randomStream(seed, 'payments');
  const cards = options.lastWordCards ? LAST_WORD_CARDS : CARDS;
  return Array.from({ length: payments }, (_, index) => {
    const currency = random.pick(CURRENCIES);
    const amount = currency === 'JPY' ? random.int(100, 50_000) : random.int(100, 200_000);
    const captureMethod = random.chance(0.3) ? 'automatic' : 'manual';
    const after = random.weighted<AfterAuthorization>([
      ['capture_full', 55],
      ['capture_partial', 25],
      ['cancel', 15],
      ['hold', 5],
    ]);
    const payment: PaymentPlan = {
      index,
      merchant: random.int(0, merchants - 1),
      amount,
      currency,
      paymentMethod: random.weighted(cards),
      captureMethod,
      after: captureMethod === 'automatic' ? 'capture_full' : after,
      refunds: [],
      authorizeTries: 1,
    };
    if (options.lastWordCards) {
      payment.paymentMethod = cardForRoute(payment.paymentMethod, options.routes?.[payment.merchant] ?? []);
      if (payment.paymentMethod === DECLINED_TWICE) payment.authorizeTries = 3;
    }
    if (payment.after === 'capture_partial')
      payment.captureAmount = Math.max(1, Math.floor((amount * random.int(20, 90)) / 100));
    const captured = payment.captureAmount ?? amount;
    const refundKind = random.weighted([
      ['none', 60],
      ['one', 25],
      ['two', 10],
      ['full', 5],
    ] as const);
    if (payment.after === 'capture_full' || payment.after === 'capture_partial') {
      if (refundKind === 'full') payment.refunds = [captured];
      if (refundKind === 'one') payment.refunds = [Math.max(1, Math.floor(captured / 3))];
      if (refundKind === 'two' && captured >= 4)
        payment.refunds = [Math.floor(captured / 4), Math.floor(captured / 4)];
      // A card whose refund fails later is there to be refunded.
      if (REFUND_FAILS_LATER.includes(payment.paymentMethod) && payment.refunds.length === 0)
        payment.refunds = [Math.max(1, Math.floor(captured / 2))];
      // A capture that fails later leaves nothing to refund.
      if (payment.paymentMethod === CAPTURE_FAILS_LATER) payment.refunds = [];
    }
    return payment;
  });
}
