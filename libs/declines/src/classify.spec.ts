import type { DeclineFacts } from './classification';
import { classifyDecline } from './classify';

const declined = (facts: Partial<DeclineFacts>): DeclineFacts => ({
  code: 'card_declined',
  decline_code: null,
  network: null,
  advice_code: null,
  ...facts,
});

const verdict = (facts: Partial<DeclineFacts>) => {
  const { class: cls, reason } = classifyDecline(declined(facts));
  return `${cls} ${reason}`;
};

describe('classifyDecline precedence', () => {
  it('reads the network advice before everything else', () => {
    // A soft decline code with "do not try again": the advice wins (Mastercard fines the retry).
    expect(verdict({ network: 'mastercard', advice_code: '03', decline_code: 'do_not_honor' })).toBe(
      'hard mastercard_advice:03',
    );
    // …and "try again later" over a decline code that alone would be hard.
    expect(verdict({ network: 'mastercard', advice_code: '02', decline_code: 'restricted_card' })).toBe(
      'soft mastercard_advice:02',
    );
    // …and over a Visa category 1 code.
    expect(verdict({ network: 'visa', advice_code: '21', network_decline_code: '05' })).toBe(
      'hard mastercard_advice:21',
    );
    expect(verdict({ network: 'visa', advice_code: '02', network_decline_code: '41' })).toBe(
      'soft mastercard_advice:02',
    );
  });

  it('carries the minimum delay of Mastercard advice 24–30 over the decline code', () => {
    expect(
      classifyDecline(
        declined({ network: 'mastercard', advice_code: '25', decline_code: 'insufficient_funds' }),
      ),
    ).toEqual({
      class: 'soft',
      reason: 'mastercard_advice:25',
      min_delay_s: 86_400,
      needs_new_payment_method: false,
    });
  });

  it('reads Stripe’s advice_code words as advice too', () => {
    expect(verdict({ advice_code: 'do_not_try_again', decline_code: 'generic_decline' })).toBe(
      'hard stripe_advice:do_not_try_again',
    );
    expect(verdict({ advice_code: 'try_again_later', decline_code: 'card_not_supported' })).toBe(
      'soft stripe_advice:try_again_later',
    );
  });

  it('lets an advice code that advises nothing fall through to the next level', () => {
    expect(verdict({ network: 'mastercard', advice_code: '04', decline_code: 'lost_card' })).toBe(
      'hard stripe:lost_card',
    );
    expect(verdict({ network: 'mastercard', advice_code: '40', decline_code: 'insufficient_funds' })).toBe(
      'soft stripe:insufficient_funds',
    );
    expect(verdict({ advice_code: 'something_new', decline_code: 'generic_decline' })).toBe(
      'soft stripe:generic_decline',
    );
  });

  it('reads a Visa card’s category 1 code before its decline code', () => {
    expect(verdict({ network: 'visa', network_decline_code: '57', decline_code: 'do_not_honor' })).toBe(
      'hard visa_category_1:57',
    );
    expect(verdict({ network: 'visa', network_decline_code: 'R1', decline_code: 'generic_decline' })).toBe(
      'hard visa_category_1:R1',
    );
  });

  it('applies Visa category 1 to Visa cards only', () => {
    expect(verdict({ network: 'mastercard', network_decline_code: '57', decline_code: 'do_not_honor' })).toBe(
      'soft stripe:do_not_honor',
    );
    expect(verdict({ network: null, network_decline_code: '41', decline_code: 'generic_decline' })).toBe(
      'soft stripe:generic_decline',
    );
  });

  it('lets a Visa code outside category 1 leave the decision to the decline code', () => {
    expect(verdict({ network: 'visa', network_decline_code: '51', decline_code: 'insufficient_funds' })).toBe(
      'soft stripe:insufficient_funds',
    );
    expect(verdict({ network: 'visa', network_decline_code: '05', decline_code: 'lost_card' })).toBe(
      'hard stripe:lost_card',
    );
  });

  it('reads the decline code before the raw network code and the Adyen text', () => {
    expect(
      verdict({ network: 'mastercard', network_decline_code: '41', decline_code: 'insufficient_funds' }),
    ).toBe('soft stripe:insufficient_funds');
    expect(verdict({ decline_code: 'insufficient_funds', adyen_refusal_reason: 'Blocked Card' })).toBe(
      'soft stripe:insufficient_funds',
    );
  });

  it('reads the raw network code when no decline code decided, before the Adyen text', () => {
    expect(verdict({ network: 'mastercard', network_decline_code: '51' })).toBe('soft network_code:51');
    expect(verdict({ network_decline_code: '41', adyen_refusal_reason: 'Refused' })).toBe(
      'hard network_code:41',
    );
    // An unknown decline code yields to a raw code the table knows.
    expect(verdict({ decline_code: 'brand_new_code', network_decline_code: '51' })).toBe(
      'soft network_code:51',
    );
  });

  it('reads the Adyen refusal text when neither code decided, before the code', () => {
    expect(verdict({ adyen_refusal_reason: 'Blocked Card' })).toBe('hard adyen:blocked_card');
    expect(verdict({ adyen_refusal_reason: 'Not enough balance', network_decline_code: 'XX' })).toBe(
      'soft adyen:not_enough_balance',
    );
    expect(verdict({ decline_code: 'brand_new_code', adyen_refusal_reason: 'Refused' })).toBe(
      'soft adyen:refused',
    );
  });

  it('classifies an unknown decline code as hard, whatever the generic code says', () => {
    expect(classifyDecline(declined({ decline_code: 'brand_new_code' }))).toEqual({
      class: 'hard',
      reason: 'unknown:brand_new_code',
      min_delay_s: 0,
      needs_new_payment_method: true,
    });
  });

  it('reads the code last: PayFlow’s own, Stripe’s card errors, Stripe decline codes given as a code', () => {
    expect(verdict({ code: 'payment_outcome_unknown' })).toBe('technical payflow:payment_outcome_unknown');
    expect(verdict({ code: 'card_declined' })).toBe('soft stripe_error:card_declined');
    expect(verdict({ code: 'lost_card' })).toBe('hard stripe:lost_card');
    expect(verdict({ code: 'expired_card' })).toBe('hard stripe:expired_card');
  });

  it('classifies billing’s "no usable card" codes as hard, needing a new payment method', () => {
    for (const code of ['payment_method_missing', 'payment_method_unusable'])
      expect(classifyDecline({ code, decline_code: null, network: null, advice_code: null })).toEqual({
        class: 'hard',
        reason: `payflow:${code}`,
        min_delay_s: 0,
        needs_new_payment_method: true,
      });
  });

  it('classifies PayFlow’s technical failures as technical, with no new payment method needed', () => {
    expect(
      classifyDecline({ code: 'psp_unavailable', decline_code: null, network: null, advice_code: null }),
    ).toEqual({
      class: 'technical',
      reason: 'payflow:psp_unavailable',
      min_delay_s: 0,
      needs_new_payment_method: false,
    });
  });

  it('classifies an unknown PSP code as hard', () => {
    expect(verdict({ code: 'something_the_psp_invented' })).toBe('hard unknown:something_the_psp_invented');
    expect(verdict({ code: '' })).toBe('hard unknown:');
  });
});

describe('classifyDecline reads each field as PSPs write it', () => {
  it('takes the code leading Adyen’s "code: text" advice and raw response', () => {
    expect(verdict({ network: 'mastercard', advice_code: '03: Do not try again' })).toBe(
      'hard mastercard_advice:03',
    );
    expect(verdict({ network: 'visa', network_decline_code: '41 : Lost card' })).toBe(
      'hard visa_category_1:41',
    );
    expect(verdict({ network: 'visa', network_decline_code: 'r3' })).toBe('hard visa_category_1:R3');
    expect(verdict({ network: 'mastercard', network_decline_code: ' 51 ' })).toBe('soft network_code:51');
  });

  it('ignores case and surrounding space in codes, networks and texts', () => {
    expect(verdict({ network: 'VISA', network_decline_code: '43' })).toBe('hard visa_category_1:43');
    expect(verdict({ decline_code: ' Lost_Card ' })).toBe('hard stripe:lost_card');
    expect(verdict({ code: 'PSP_Timeout' })).toBe('technical payflow:psp_timeout');
    expect(verdict({ adyen_refusal_reason: '  not   ENOUGH balance ' })).toBe(
      'soft adyen:not_enough_balance',
    );
    expect(verdict({ advice_code: 'DO_NOT_TRY_AGAIN' })).toBe('hard stripe_advice:do_not_try_again');
  });

  it('treats empty fields as absent', () => {
    expect(
      verdict({ decline_code: '', advice_code: ' ', network_decline_code: '', adyen_refusal_reason: '' }),
    ).toBe('soft stripe_error:card_declined');
  });

  it('never finds a code on Object’s prototype', () => {
    expect(verdict({ decline_code: 'constructor' })).toBe('hard unknown:constructor');
    expect(verdict({ code: '__proto__' })).toBe('hard unknown:__proto__');
    expect(verdict({ adyen_refusal_reason: 'toString' })).toBe('soft stripe_error:card_declined');
  });

  it('is pure: the same facts give the same classification and are left unchanged', () => {
    const facts = Object.freeze(
      declined({ network: 'mastercard', advice_code: '27', decline_code: 'do_not_honor' }),
    );
    const first = classifyDecline(facts);
    expect(classifyDecline(facts)).toEqual(first);
    expect(first).toEqual({
      class: 'soft',
      reason: 'mastercard_advice:27',
      min_delay_s: 345_600,
      needs_new_payment_method: false,
    });
  });
});
