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

export function planPayments(seed: number, payments: number, merchants: number): PaymentPlan[] {
  const random = randomStream(seed, 'payments');
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
      paymentMethod: random.weighted(CARDS),
      captureMethod,
      after: captureMethod === 'automatic' ? 'capture_full' : after,
      refunds: [],
    };
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
    }
    return payment;
  });
}
