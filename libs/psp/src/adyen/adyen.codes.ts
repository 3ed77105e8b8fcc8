import { HttpClientException } from '@adyen/api-library';
import { adviceForbidsRetry, cardNetwork, leadingCode } from '../core/network-codes';
import { PspError } from '../core/psp-error';
import type { DeclineKind } from '../core/psp-results';
import { transportError } from '../core/transport-errors';

export interface AdyenRefusalRule {
  /** Adyen's `refusalReason` text for this code. */
  reason: string;
  /** API.md `last_error.code`. */
  code: string;
  /** API.md `last_error.decline_code`, Stripe-style, so merchants read one vocabulary. */
  declineCode: string;
  kind: DeclineKind;
}

/**
 * Adyen `refusalReasonCode` → PayFlow (https://docs.adyen.com/development-resources/refusal-reasons).
 * Hard: retrying the card is pointless or harmful (blocked, expired, fraud, revoked, Adyen's retry
 * blocking); soft: it may pass later. Unlisted codes read as a generic soft decline.
 */
export const ADYEN_REFUSAL_REASONS: Readonly<Record<string, AdyenRefusalRule>> = Object.freeze({
  '2': { reason: 'Refused', code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' },
  '3': { reason: 'Referral', code: 'card_declined', declineCode: 'call_issuer', kind: 'soft' },
  '4': { reason: 'Acquirer Error', code: 'processing_error', declineCode: 'processing_error', kind: 'soft' },
  '5': { reason: 'Blocked Card', code: 'card_declined', declineCode: 'blocked_card', kind: 'hard' },
  '6': { reason: 'Expired Card', code: 'expired_card', declineCode: 'expired_card', kind: 'hard' },
  '7': { reason: 'Invalid Amount', code: 'invalid_amount', declineCode: 'invalid_amount', kind: 'hard' },
  '8': {
    reason: 'Invalid Card Number',
    code: 'incorrect_number',
    declineCode: 'incorrect_number',
    kind: 'hard',
  },
  '9': {
    reason: 'Issuer Unavailable',
    code: 'card_declined',
    declineCode: 'issuer_not_available',
    kind: 'soft',
  },
  '10': {
    reason: 'Not supported',
    code: 'card_not_supported',
    declineCode: 'card_not_supported',
    kind: 'hard',
  },
  '11': {
    reason: '3D Not Authenticated',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    kind: 'soft',
  },
  '12': {
    reason: 'Not enough balance',
    code: 'insufficient_funds',
    declineCode: 'insufficient_funds',
    kind: 'soft',
  },
  '14': { reason: 'Acquirer Fraud', code: 'card_declined', declineCode: 'fraudulent', kind: 'hard' },
  '15': { reason: 'Cancelled', code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' },
  '16': { reason: 'Shopper Cancelled', code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' },
  '17': { reason: 'Invalid Pin', code: 'card_declined', declineCode: 'invalid_pin', kind: 'soft' },
  '18': {
    reason: 'Pin tries exceeded',
    code: 'card_declined',
    declineCode: 'pin_try_exceeded',
    kind: 'hard',
  },
  '19': {
    reason: 'Pin validation not possible',
    code: 'card_declined',
    declineCode: 'generic_decline',
    kind: 'soft',
  },
  '20': { reason: 'FRAUD', code: 'card_declined', declineCode: 'fraudulent', kind: 'hard' },
  '21': { reason: 'Not Submitted', code: 'processing_error', declineCode: 'processing_error', kind: 'soft' },
  '22': { reason: 'FRAUD-CANCELLED', code: 'card_declined', declineCode: 'fraudulent', kind: 'hard' },
  '23': {
    reason: 'Transaction Not Permitted',
    code: 'card_declined',
    declineCode: 'transaction_not_allowed',
    kind: 'hard',
  },
  '24': { reason: 'CVC Declined', code: 'incorrect_cvc', declineCode: 'incorrect_cvc', kind: 'soft' },
  '25': { reason: 'Restricted Card', code: 'card_declined', declineCode: 'restricted_card', kind: 'hard' },
  '26': {
    reason: 'Revocation Of Auth',
    code: 'card_declined',
    declineCode: 'revocation_of_authorization',
    kind: 'hard',
  },
  '27': { reason: 'Declined Non Generic', code: 'card_declined', declineCode: 'do_not_honor', kind: 'hard' },
  '28': {
    reason: 'Withdrawal amount exceeded',
    code: 'card_velocity_exceeded',
    declineCode: 'card_velocity_exceeded',
    kind: 'soft',
  },
  '29': {
    reason: 'Withdrawal count exceeded',
    code: 'card_velocity_exceeded',
    declineCode: 'withdrawal_count_limit_exceeded',
    kind: 'soft',
  },
  '31': { reason: 'Issuer Suspected Fraud', code: 'card_declined', declineCode: 'fraudulent', kind: 'hard' },
  '32': { reason: 'AVS Declined', code: 'incorrect_zip', declineCode: 'incorrect_zip', kind: 'soft' },
  '33': {
    reason: 'Card requires online pin',
    code: 'authentication_required',
    declineCode: 'online_or_offline_pin_required',
    kind: 'soft',
  },
  '34': {
    reason: 'No checking account available on Card',
    code: 'card_declined',
    declineCode: 'invalid_account',
    kind: 'hard',
  },
  '35': {
    reason: 'No savings account available on Card',
    code: 'card_declined',
    declineCode: 'invalid_account',
    kind: 'hard',
  },
  '36': {
    reason: 'Mobile pin required',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    kind: 'soft',
  },
  '37': {
    reason: 'Contactless fallback',
    code: 'card_declined',
    declineCode: 'generic_decline',
    kind: 'soft',
  },
  '38': {
    reason: 'Authentication required',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    kind: 'soft',
  },
  '39': {
    reason: 'RReq not received from DS',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    kind: 'soft',
  },
  '40': {
    reason: 'Current AID is in Penalty Box',
    code: 'card_declined',
    declineCode: 'generic_decline',
    kind: 'soft',
  },
  '41': {
    reason: 'CVM Required Restart Payment',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    kind: 'soft',
  },
  '42': {
    reason: '3DS Authentication Error',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    kind: 'soft',
  },
  '43': {
    reason: 'Online PIN required',
    code: 'authentication_required',
    declineCode: 'online_or_offline_pin_required',
    kind: 'soft',
  },
  '44': {
    reason: 'Try another interface',
    code: 'card_declined',
    declineCode: 'generic_decline',
    kind: 'soft',
  },
  '45': {
    reason: 'Chip downgrade mode',
    code: 'card_declined',
    declineCode: 'generic_decline',
    kind: 'soft',
  },
  '46': {
    reason: 'Transaction blocked by Adyen to prevent excessive retry fees',
    code: 'card_declined',
    declineCode: 'do_not_try_again',
    kind: 'hard',
  },
});

const GENERIC_REFUSAL: AdyenRefusalRule = {
  reason: 'Refused',
  code: 'card_declined',
  declineCode: 'generic_decline',
  kind: 'soft',
};

/** Adyen's `refusalReason` texts → their rule, for notifications, which carry the text and no code. */
const REFUSAL_BY_REASON: ReadonlyMap<string, AdyenRefusalRule> = new Map(
  Object.values(ADYEN_REFUSAL_REASONS).map((rule) => [rule.reason.toLowerCase(), rule]),
);

/**
 * The raw acquirer response (`additionalData.refusalReasonRaw`, ISO 8583 codes such as
 * "51 : Insufficient funds") names the decline more precisely than Adyen's refusal reason, which
 * folds lost, stolen and closed cards into 5 "Blocked Card": so it is read first. `05` "Do not
 * honor" is the issuers' catch-all and refines nothing.
 */
const RAW_RESPONSE_CODES: Readonly<Record<string, Pick<AdyenRefusalRule, 'code' | 'declineCode' | 'kind'>>> =
  Object.freeze({
    '04': { code: 'card_declined', declineCode: 'pickup_card', kind: 'hard' },
    '07': { code: 'card_declined', declineCode: 'pickup_card', kind: 'hard' },
    '14': { code: 'incorrect_number', declineCode: 'incorrect_number', kind: 'hard' },
    '41': { code: 'lost_card', declineCode: 'lost_card', kind: 'hard' },
    '43': { code: 'stolen_card', declineCode: 'stolen_card', kind: 'hard' },
    '51': { code: 'insufficient_funds', declineCode: 'insufficient_funds', kind: 'soft' },
    '54': { code: 'expired_card', declineCode: 'expired_card', kind: 'hard' },
    '57': { code: 'card_declined', declineCode: 'transaction_not_allowed', kind: 'hard' },
    '62': { code: 'card_declined', declineCode: 'restricted_card', kind: 'hard' },
  });

/**
 * PayFlow's reading of an Adyen refusal: by the raw acquirer response first (its leading code, or
 * the words "lost" / "stolen"), by the refusal reason second (its code, or for notifications its
 * text).
 */
export function adyenRefusal(
  refusalReasonCode: string | undefined,
  refusalReasonRaw?: string,
  refusalReason?: string,
): AdyenRefusalRule {
  const rule =
    (refusalReasonCode && ADYEN_REFUSAL_REASONS[refusalReasonCode]) ||
    (refusalReason && REFUSAL_BY_REASON.get(refusalReason.trim().toLowerCase())) ||
    GENERIC_REFUSAL;
  const byRawCode = RAW_RESPONSE_CODES[leadingCode(refusalReasonRaw) ?? ''];
  if (byRawCode) return { ...rule, ...byRawCode };
  const raw = (refusalReasonRaw ?? '').toUpperCase();
  if (raw.includes('LOST')) return { ...rule, code: 'lost_card', declineCode: 'lost_card', kind: 'hard' };
  if (raw.includes('STOLEN'))
    return { ...rule, code: 'stolen_card', declineCode: 'stolen_card', kind: 'hard' };
  return rule;
}

/** What Adyen says about a refusal, from a `/payments` answer or an AUTHORISATION notification. */
export interface AdyenRefusalInput {
  refusalReasonCode?: string;
  /** `refusalReason` of the answer, `reason` of the notification. */
  refusalReason?: string;
  /** `additionalData.refusalReasonRaw`, e.g. "51 : Insufficient funds". */
  refusalReasonRaw?: string;
  /** `additionalData.merchantAdviceCode` (Mastercard), e.g. "03: Do not try again". */
  merchantAdviceCode?: string;
  /** `additionalData.paymentMethod` (`visa`, `mc`, …) or `paymentMethod.brand`. */
  paymentMethod?: string;
}

export interface AdyenDecline {
  code: string;
  declineCode: string;
  kind: DeclineKind;
  message: string;
  network?: string;
  adviceCode?: string;
  networkDeclineCode?: string;
}

/**
 * A refusal with everything dunning needs: PayFlow's code and decline code (`adyenRefusal`), the
 * network, the network's raw decline code (two characters of `refusalReasonRaw`) and Mastercard's
 * advice code (two digits of `merchantAdviceCode`). An advice that forbids retrying (03, 21) makes
 * the decline hard; a generic refusal carrying it reads `do_not_honor`, as Stripe reports the same
 * card, so merchants see one vocabulary.
 */
export function adyenDecline(input: AdyenRefusalInput): AdyenDecline {
  const rule = adyenRefusal(input.refusalReasonCode, input.refusalReasonRaw, input.refusalReason);
  const adviceCode = leadingCode(input.merchantAdviceCode);
  const networkDeclineCode = leadingCode(input.refusalReasonRaw);
  const network = cardNetwork(input.paymentMethod);
  const neverRetry = adviceForbidsRetry(adviceCode);
  return {
    code: rule.code,
    declineCode: neverRetry && rule.declineCode === 'generic_decline' ? 'do_not_honor' : rule.declineCode,
    kind: neverRetry ? 'hard' : rule.kind,
    message: input.refusalReason || rule.reason,
    ...(network ? { network } : {}),
    ...(adviceCode ? { adviceCode } : {}),
    ...(networkDeclineCode ? { networkDeclineCode } : {}),
  };
}

/**
 * How a `/payments` `resultCode` reads. `Error` and `Cancelled` are answers (the payment did not
 * happen), so declines; `Pending` and `Received` settle by webhook; redirect and challenge results
 * need a shopper PayFlow's server-to-server flow does not have, so they read as soft declines
 * asking for authentication.
 */
export type AdyenResultReading = 'succeeded' | 'pending' | 'declined' | 'authentication_required';

export const ADYEN_RESULT_CODES: Readonly<Record<string, AdyenResultReading>> = Object.freeze({
  Authorised: 'succeeded',
  Refused: 'declined',
  Error: 'declined',
  Cancelled: 'declined',
  Pending: 'pending',
  Received: 'pending',
  PartiallyAuthorised: 'declined',
  RedirectShopper: 'authentication_required',
  IdentifyShopper: 'authentication_required',
  ChallengeShopper: 'authentication_required',
  PresentToShopper: 'authentication_required',
  AuthenticationFinished: 'authentication_required',
  AuthenticationNotRequired: 'authentication_required',
});

/**
 * Adyen's marker on a failure worth retrying with the same idempotency key
 * (https://docs.adyen.com/development-resources/api-idempotency, "Transient errors"). Still
 * indeterminate: only the same key is safe.
 */
export const ADYEN_TRANSIENT_ERROR_HEADER = 'transient-error';

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

/**
 * Classifies every Adyen SDK failure into DESIGN.md's classes:
 *
 * | Adyen | class | retryable |
 * |---|---|---|
 * | connect phase: ECONNREFUSED, DNS, unreachable, connect timeout, a certificate refused in the TLS handshake | not_executed | yes |
 * | a connection reset or socket error, a timeout | indeterminate | yes |
 * | 429 | not_executed | yes |
 * | 5xx, with or without `Transient-Error: true` (Adyen asks for a same-key retry; it proves nothing) | indeterminate | yes |
 * | 409 (same key in flight) | indeterminate | yes |
 * | 400/404/422 (validation, unknown pspReference, key reused) | declined | no |
 * | 401/403 | not_executed | no |
 */
export function classifyAdyenError(error: unknown, timeoutMs?: number): PspError {
  if (error instanceof PspError) return error;
  if (!(error instanceof HttpClientException) || !error.statusCode)
    return transportError('adyen', error, timeoutMs);
  const status = error.statusCode;
  const apiError = error.apiError;
  const message = apiError?.message ?? error.message;
  const base = {
    provider: 'adyen' as const,
    httpStatus: status,
    providerCode: apiError?.errorCode,
    cause: error,
  };
  const headers = error.responseHeaders as Record<string, unknown> | undefined;

  if (status === 429)
    return new PspError({
      ...base,
      errorClass: 'not_executed',
      retryable: true,
      code: 'rate_limited',
      message,
    });
  if (status >= 500) {
    // `Transient-Error: true` means "retry with the same key"; the request may still have run, so
    // it is no ground for failover. Kept in the message for support.
    const transient = headerOf(headers, ADYEN_TRANSIENT_ERROR_HEADER) === 'true';
    return new PspError({
      ...base,
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_error',
      message: transient ? `${message} (transient)` : message,
    });
  }
  if (status === 409)
    return new PspError({
      ...base,
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_request_in_progress',
      message,
    });
  if (status === 401 || status === 403) {
    return new PspError({
      ...base,
      errorClass: 'not_executed',
      retryable: false,
      code: 'psp_authentication_failed',
      message,
    });
  }
  return new PspError({
    ...base,
    errorClass: 'declined',
    retryable: false,
    code: 'invalid_request',
    type: 'invalid_request_error',
    message,
  });
}
