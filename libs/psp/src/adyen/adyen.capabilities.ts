import { CURRENCY_CODES, MAX_AMOUNT_MINOR } from '@payflow/contracts';
import { FUND_CURRENCY_CODES, type PspCapabilities } from '../core/capabilities';
import { isoAmountStep } from '../core/psp-currency';
import { ADYEN_CURRENCY_RULES } from './adyen.currency';

/** Active ISO codes Adyen does not process (sanctioned or not offered); an approximation kept as exclusions. */
const ADYEN_UNSUPPORTED = new Set([
  ...FUND_CURRENCY_CODES,
  'CUP',
  'IRR',
  'KPW',
  'SDG',
  'SSP',
  'SYP',
  'VED',
  'ZWG',
]);

export const ADYEN_CURRENCIES: readonly string[] = Object.freeze(
  CURRENCY_CODES.filter((code) => !ADYEN_UNSUPPORTED.has(code)),
);

function amountSteps(): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const code of ADYEN_CURRENCIES) {
    const step = isoAmountStep(ADYEN_CURRENCY_RULES, code);
    if (step !== 1) steps[code] = step;
  }
  return steps;
}

/**
 * Adyen Checkout: cards, manual capture (per payment with `additionalData.manualCapture`),
 * partial captures and refunds. No `retrieve`: Checkout has no call that reads a payment's state,
 * so an unknown outcome settles by webhook or by replaying the original call with its key.
 */
export const ADYEN_CAPABILITIES: PspCapabilities = Object.freeze({
  currencies: ADYEN_CURRENCIES,
  paymentMethodTypes: ['card'],
  manualCapture: true,
  partialCapture: true,
  refunds: true,
  partialRefunds: true,
  retrieve: false,
  amountLimits: {},
  defaultAmountLimits: { min: 1, max: MAX_AMOUNT_MINOR },
  amountStep: amountSteps(),
});
