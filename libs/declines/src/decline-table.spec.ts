import { createHash } from 'node:crypto';
import type { DeclineClass } from '@payflow/contracts';
import type { DeclineFacts } from './classification';
import { classifyDecline } from './classify';
import { DECLINE_TABLE, DECLINE_TABLE_VERSION, type DeclineTableSection } from './decline-table';

type Expected = Partial<Record<DeclineClass, readonly string[]>>;

/** Every code of the table with its class, written out so that a changed class fails here. */
const EXPECTED: Record<DeclineTableSection, Expected> = {
  mastercard_advice: {
    hard: ['01', '03', '21'],
    soft: ['02', '24', '25', '26', '27', '28', '29', '30'],
  },
  stripe_advice: { hard: ['do_not_try_again', 'confirm_card_data'], soft: ['try_again_later'] },
  visa_category_1: { hard: ['04', '07', '12', '14', '15', '41', '43', '46', '57', 'R0', 'R1', 'R3'] },
  stripe: {
    hard: [
      'blocked_card',
      'card_not_supported',
      'currency_not_supported',
      'do_not_try_again',
      'expired_card',
      'fraudulent',
      'incorrect_address',
      'incorrect_cvc',
      'incorrect_number',
      'incorrect_zip',
      'invalid_account',
      'invalid_cvc',
      'invalid_expiry_month',
      'invalid_expiry_year',
      'invalid_number',
      'lost_card',
      'merchant_blacklist',
      'new_account_information_available',
      'not_permitted',
      'pickup_card',
      'restricted_card',
      'revocation_of_all_authorizations',
      'revocation_of_authorization',
      'security_violation',
      'service_not_allowed',
      'stolen_card',
      'stop_payment_order',
      'testmode_decline',
      'transaction_not_allowed',
    ],
    soft: [
      'approve_with_id',
      'authentication_not_handled',
      'authentication_required',
      'call_issuer',
      'card_velocity_exceeded',
      'do_not_honor',
      'duplicate_transaction',
      'generic_decline',
      'incorrect_pin',
      'insufficient_funds',
      'invalid_amount',
      'invalid_pin',
      'issuer_not_available',
      'mobile_device_authentication_required',
      'no_action_taken',
      'offline_pin_required',
      'online_or_offline_pin_required',
      'pin_try_exceeded',
      'processing_error',
      'reenter_transaction',
      'try_again_later',
      'withdrawal_count_limit_exceeded',
    ],
  },
  network_code: {
    hard: [
      '04',
      '07',
      '12',
      '14',
      '15',
      '33',
      '34',
      '36',
      '39',
      '41',
      '43',
      '46',
      '52',
      '53',
      '54',
      '56',
      '57',
      '58',
      '59',
      '62',
      '63',
      '93',
      '5C',
      '6P',
      'N3',
      'N7',
      'R0',
      'R1',
      'R3',
    ],
    soft: [
      '01',
      '02',
      '03',
      '05',
      '06',
      '13',
      '19',
      '21',
      '22',
      '30',
      '31',
      '38',
      '51',
      '55',
      '61',
      '65',
      '70',
      '75',
      '78',
      '86',
      '91',
      '92',
      '94',
      '96',
      '1A',
      'N4',
      'Z5',
    ],
  },
  adyen: {
    hard: [
      'Blocked Card',
      'Expired Card',
      'Invalid Card Number',
      'Not supported',
      'Acquirer Fraud',
      'FRAUD',
      'FRAUD-CANCELLED',
      'Transaction Not Permitted',
      'CVC Declined',
      'Restricted Card',
      'Revocation Of Auth',
      'Declined Non Generic',
      'Issuer Suspected Fraud',
      'AVS Declined',
      'No checking account available on Card',
      'No savings account available on Card',
      'Transaction blocked by Adyen to prevent excessive retry fees',
    ],
    soft: [
      'Refused',
      'Referral',
      'Acquirer Error',
      'Invalid Amount',
      'Issuer Unavailable',
      '3D Not Authenticated',
      'Not enough balance',
      'Cancelled',
      'Shopper Cancelled',
      'Invalid Pin',
      'Pin tries exceeded',
      'Pin validation not possible',
      'Not Submitted',
      'Withdrawal amount exceeded',
      'Withdrawal count exceeded',
      'Card requires online pin',
      'Mobile pin required',
      'Contactless fallback',
      'Authentication required',
      'RReq not received from DS',
      'Current AID is in Penalty Box',
      'CVM Required Restart Payment',
      '3DS Authentication Error',
      'Online PIN required',
      'Try another interface',
      'Chip downgrade mode',
    ],
  },
  stripe_error: { soft: ['card_declined', 'card_decline_rate_limit_exceeded'] },
  payflow: {
    technical: [
      'payment_outcome_unknown',
      'psp_unavailable',
      'circuit_open',
      'no_eligible_provider',
      'internal_error',
      'authorization_not_found',
      'payment_reference_unknown',
      'psp_unreachable',
      'psp_tls_handshake_failed',
      'psp_connection_reset',
      'psp_connection_error',
      'psp_timeout',
      'psp_error',
      'psp_request_in_progress',
      'psp_authentication_failed',
      'rate_limited',
      'invalid_request',
      'idempotency_key_reused',
      'payment_intent_unexpected_state',
      'operation_not_supported',
      'amount_not_supported',
      'capture_failed',
      'capture_reversed',
      'cancel_failed',
      'payment_failed',
      'api_error',
    ],
    hard: ['payment_method_missing', 'payment_method_unusable', 'amount_out_of_range'],
  },
};

/** Mastercard advice codes 24–30: the minimum waits, in seconds (issue 12). */
const HOUR = 3_600;
const DAY = 24 * HOUR;
const MIN_DELAYS: Record<string, number> = {
  '24': HOUR,
  '25': 24 * HOUR,
  '26': 2 * DAY,
  '27': 4 * DAY,
  '28': 6 * DAY,
  '29': 8 * DAY,
  '30': 10 * DAY,
};

/** Facts that reach exactly one section of the table with `key`, nothing else deciding before it. */
function factsFor(section: DeclineTableSection, key: string): DeclineFacts {
  const declined: DeclineFacts = {
    code: 'card_declined',
    decline_code: null,
    network: null,
    advice_code: null,
  };
  switch (section) {
    case 'mastercard_advice':
      return { ...declined, network: 'mastercard', advice_code: key };
    case 'stripe_advice':
      return { ...declined, advice_code: key };
    case 'visa_category_1':
      return { ...declined, network: 'visa', network_decline_code: key };
    case 'stripe':
      return { ...declined, decline_code: key };
    case 'network_code':
      return { ...declined, network: 'mastercard', network_decline_code: key };
    case 'adyen':
      return { ...declined, adyen_refusal_reason: key };
    case 'stripe_error':
    case 'payflow':
      return { code: key, decline_code: null, network: null, advice_code: null };
  }
}

const reasonKey = (section: DeclineTableSection, key: string): string =>
  section === 'adyen' ? key.toLowerCase().replace(/[^a-z0-9]+/g, '_') : key;

const CASES: [DeclineTableSection, string, DeclineClass][] = Object.entries(EXPECTED).flatMap(
  ([section, byClass]) =>
    Object.entries(byClass).flatMap(([cls, keys]) =>
      keys.map((key): [DeclineTableSection, string, DeclineClass] => [
        section as DeclineTableSection,
        key,
        cls as DeclineClass,
      ]),
    ),
);

describe('the decline table', () => {
  it.each(CASES)('%s %s is %s', (section, key, cls) => {
    expect(classifyDecline(factsFor(section, key))).toEqual({
      class: cls,
      reason: `${section}:${reasonKey(section, key)}`,
      min_delay_s: MIN_DELAYS[key] !== undefined && section === 'mastercard_advice' ? MIN_DELAYS[key] : 0,
      needs_new_payment_method: cls === 'hard',
    });
  });

  it.each(Object.keys(DECLINE_TABLE) as DeclineTableSection[])(
    'section %s holds exactly the codes asserted here (none untested, none missing)',
    (section) => {
      const expected = Object.values(EXPECTED[section]).flat().sort();
      expect(Object.keys(DECLINE_TABLE[section]).sort()).toEqual(expected);
    },
  );

  it('has the Stripe decline codes the issue names as hard and soft', () => {
    const stripe = DECLINE_TABLE.stripe;
    for (const code of [
      'lost_card',
      'stolen_card',
      'pickup_card',
      'invalid_account',
      'incorrect_number',
      'invalid_number',
      'expired_card',
      'revocation_of_authorization',
      'stop_payment_order',
      'do_not_try_again',
      'restricted_card',
    ])
      expect(stripe[code]?.class).toBe('hard');
    for (const code of [
      'insufficient_funds',
      'generic_decline',
      'do_not_honor',
      'issuer_not_available',
      'try_again_later',
      'processing_error',
    ])
      expect(stripe[code]?.class).toBe('soft');
  });

  it('treats every Visa category 1 code as hard as a raw network code too', () => {
    for (const code of Object.keys(DECLINE_TABLE.visa_category_1))
      expect(DECLINE_TABLE.network_code[code]?.class).toBe('hard');
  });

  it('gives minimum delays to Mastercard advice codes 24–30 only', () => {
    for (const [section, rules] of Object.entries(DECLINE_TABLE))
      for (const [key, rule] of Object.entries(rules)) {
        const expected = section === 'mastercard_advice' ? MIN_DELAYS[key] : undefined;
        expect([section, key, rule.min_delay_s]).toEqual([section, key, expected]);
      }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DECLINE_TABLE)).toBe(true);
    for (const rules of Object.values(DECLINE_TABLE)) expect(Object.isFrozen(rules)).toBe(true);
  });
});

/**
 * The table's content per version. A change of the table without a new DECLINE_TABLE_VERSION fails
 * here: bump the version (`<date>.<n>`) and record the new fingerprint beside it.
 */
const FINGERPRINTS: Record<string, string> = {
  '2026-12-03.1': 'ca8ff7272c580c161660df3da42d3c31b3528e874ff00034ee62e0871c4d5a90',
};

function fingerprint(): string {
  const canonical = Object.entries(DECLINE_TABLE)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([section, rules]) =>
      Object.entries(rules)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, rule]) => `${section}:${key}=${rule.class}/${rule.min_delay_s ?? 0}`)
        .join('\n'),
    )
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex');
}

describe('DECLINE_TABLE_VERSION', () => {
  it('is <date>.<n>', () => {
    expect(DECLINE_TABLE_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });

  it('changes whenever the table does', () => {
    expect({ version: DECLINE_TABLE_VERSION, fingerprint: fingerprint() }).toEqual({
      version: DECLINE_TABLE_VERSION,
      fingerprint: FINGERPRINTS[DECLINE_TABLE_VERSION],
    });
  });
});
