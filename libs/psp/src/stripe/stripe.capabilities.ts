import { CURRENCY_CODES, MAX_AMOUNT_MINOR } from '@payflow/contracts';
import { FUND_CURRENCY_CODES, type AmountLimits, type PspCapabilities } from '../core/capabilities';
import { isoAmountStep } from '../core/psp-currency';
import { STRIPE_CURRENCY_RULES } from './stripe.currency';

/**
 * Active ISO codes Stripe does not take as presentment currencies (sanctioned or not offered).
 * An approximation of https://docs.stripe.com/currencies kept as an exclusion list so a currency
 * ISO adds is not silently dropped; routing refuses what is listed here.
 */
const STRIPE_UNSUPPORTED = new Set([
  ...FUND_CURRENCY_CODES,
  'BTN',
  'CUP',
  'ERN',
  'IQD',
  'IRR',
  'KPW',
  'LYD',
  'MRU',
  'SDG',
  'SSP',
  'STN',
  'SYP',
  'TMT',
  'VED',
  'VES',
  'ZWG',
]);

export const STRIPE_CURRENCIES: readonly string[] = Object.freeze(
  CURRENCY_CODES.filter((code) => !STRIPE_UNSUPPORTED.has(code)),
);

/**
 * Stripe's minimum charge amounts (in ISO minor units) for the currencies that have one; the
 * maximum is 8 digits in Stripe's own units, which for ISK and UGX (sent ×100) is 999,999 ISO units.
 */
const STRIPE_AMOUNT_LIMITS: Record<string, AmountLimits> = {
  USD: { min: 50, max: MAX_AMOUNT_MINOR },
  AED: { min: 200, max: MAX_AMOUNT_MINOR },
  AUD: { min: 50, max: MAX_AMOUNT_MINOR },
  BRL: { min: 50, max: MAX_AMOUNT_MINOR },
  CAD: { min: 50, max: MAX_AMOUNT_MINOR },
  CHF: { min: 50, max: MAX_AMOUNT_MINOR },
  CZK: { min: 1500, max: MAX_AMOUNT_MINOR },
  DKK: { min: 250, max: MAX_AMOUNT_MINOR },
  EUR: { min: 50, max: MAX_AMOUNT_MINOR },
  GBP: { min: 30, max: MAX_AMOUNT_MINOR },
  HKD: { min: 400, max: MAX_AMOUNT_MINOR },
  HUF: { min: 17500, max: MAX_AMOUNT_MINOR },
  INR: { min: 50, max: MAX_AMOUNT_MINOR },
  JPY: { min: 50, max: MAX_AMOUNT_MINOR },
  MXN: { min: 1000, max: MAX_AMOUNT_MINOR },
  MYR: { min: 200, max: MAX_AMOUNT_MINOR },
  NOK: { min: 300, max: MAX_AMOUNT_MINOR },
  NZD: { min: 50, max: MAX_AMOUNT_MINOR },
  PLN: { min: 200, max: MAX_AMOUNT_MINOR },
  RON: { min: 200, max: MAX_AMOUNT_MINOR },
  SEK: { min: 300, max: MAX_AMOUNT_MINOR },
  SGD: { min: 50, max: MAX_AMOUNT_MINOR },
  THB: { min: 1000, max: MAX_AMOUNT_MINOR },
  ISK: { min: 1, max: 999_999 },
  UGX: { min: 1, max: 999_999 },
};

function amountSteps(): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const code of STRIPE_CURRENCIES) {
    const step = isoAmountStep(STRIPE_CURRENCY_RULES, code);
    if (step !== 1) steps[code] = step;
  }
  return steps;
}

export const STRIPE_CAPABILITIES: PspCapabilities = Object.freeze({
  currencies: STRIPE_CURRENCIES,
  paymentMethodTypes: ['card'],
  manualCapture: true,
  partialCapture: true,
  refunds: true,
  partialRefunds: true,
  retrieve: true,
  amountLimits: STRIPE_AMOUNT_LIMITS,
  defaultAmountLimits: { min: 1, max: MAX_AMOUNT_MINOR },
  amountStep: amountSteps(),
});
