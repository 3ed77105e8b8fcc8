import { normalizeCurrency } from '@payflow/contracts';
import type { CaptureMethod } from './psp-requests';

/** Inclusive amount limits in ISO minor units. */
export interface AmountLimits {
  min: number;
  max: number;
}

/**
 * What a connector can do: the first routing filter ("capability first", DESIGN.md). Plain data,
 * so routing can explain a decision and tests can compare it.
 */
export interface PspCapabilities {
  /** Upper-case ISO 4217 codes it can charge in. */
  currencies: readonly string[];
  /** Payment method types it accepts, e.g. `card`. */
  paymentMethodTypes: readonly string[];
  manualCapture: boolean;
  partialCapture: boolean;
  refunds: boolean;
  partialRefunds: boolean;
  /** Whether `retrieve` can read a payment's state from the PSP (Adyen Checkout has no such call). */
  retrieve: boolean;
  /** Limits per currency; currencies not listed use `defaultAmountLimits`. */
  amountLimits: Readonly<Record<string, AmountLimits>>;
  defaultAmountLimits: AmountLimits;
  /**
   * Chargeable amounts must be a multiple of this, per currency, in ISO minor units — where the PSP
   * uses fewer decimals than ISO (Adyen IDR: 100) or rounds (Stripe KWD: 10). Default 1.
   */
  amountStep: Readonly<Record<string, number>>;
}

export interface CapabilityQuery {
  amount: number;
  currency: string;
  paymentMethodType?: string;
  captureMethod?: CaptureMethod;
}

export type CapabilityCheck = { ok: true } | { ok: false; reason: string };

/** Whether a connector with `capabilities` can take this payment, and if not, why. */
export function checkCapabilities(capabilities: PspCapabilities, query: CapabilityQuery): CapabilityCheck {
  let currency: string;
  try {
    currency = normalizeCurrency(query.currency);
  } catch {
    return { ok: false, reason: `unknown currency ${query.currency}` };
  }
  if (!capabilities.currencies.includes(currency))
    return { ok: false, reason: `currency ${currency} not supported` };
  const type = query.paymentMethodType ?? 'card';
  if (!capabilities.paymentMethodTypes.includes(type))
    return { ok: false, reason: `payment method type ${type} not supported` };
  if (query.captureMethod === 'manual' && !capabilities.manualCapture)
    return { ok: false, reason: 'manual capture not supported' };
  const limits = capabilities.amountLimits[currency] ?? capabilities.defaultAmountLimits;
  if (query.amount < limits.min)
    return { ok: false, reason: `amount below the ${currency} minimum of ${limits.min}` };
  if (query.amount > limits.max)
    return { ok: false, reason: `amount above the ${currency} maximum of ${limits.max}` };
  const step = capabilities.amountStep[currency] ?? 1;
  if (query.amount % step !== 0)
    return { ok: false, reason: `${currency} amounts must be a multiple of ${step} minor units` };
  return { ok: true };
}

/**
 * ISO codes with no minor unit that PSPs do not accept for card payments: fund and accounting
 * units (BOV, CLF, …) are listed in ISO 4217 but never charged to a card.
 */
export const FUND_CURRENCY_CODES: readonly string[] = [
  'BOV',
  'CHE',
  'CHW',
  'CLF',
  'COU',
  'MXV',
  'USN',
  'UYI',
  'UYW',
  'XAD',
];
