import type { Classification } from '@payflow/declines';
import { DAY_S, HOUR_S } from '../../budgets/budget-rules';

// Classifications built by hand for the decision tests: the classifier (libs/declines) is tested on
// its own; here only its output's shape matters.

export const soft = (reason = 'stripe:insufficient_funds', min_delay_s = 0): Classification => ({
  class: 'soft',
  reason,
  min_delay_s,
  needs_new_payment_method: false,
});

export const hard = (reason = 'stripe:lost_card'): Classification => ({
  class: 'hard',
  reason,
  min_delay_s: 0,
  needs_new_payment_method: true,
});

export const technical = (reason = 'payflow:psp_unavailable', min_delay_s = 0): Classification => ({
  class: 'technical',
  reason,
  min_delay_s,
  needs_new_payment_method: false,
});

/** Mastercard merchant advice codes 24–30: "retry after" 1 h, 24 h, 2, 4, 6, 8 and 10 days. */
export const MASTERCARD_ADVICE_DELAYS_S: Readonly<Record<string, number>> = Object.freeze({
  '24': HOUR_S,
  '25': 24 * HOUR_S,
  '26': 2 * DAY_S,
  '27': 4 * DAY_S,
  '28': 6 * DAY_S,
  '29': 8 * DAY_S,
  '30': 10 * DAY_S,
});

export const mastercardAdvice = (code: string): Classification =>
  soft(`mastercard_advice:${code}`, MASTERCARD_ADVICE_DELAYS_S[code] ?? 0);
