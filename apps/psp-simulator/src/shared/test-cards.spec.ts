import {
  adyenPaymentMethodOf,
  cardBehaviour,
  DECLINES,
  resolveCard,
  type CardBehaviour,
  type DeclineName,
} from './test-cards';

describe('test payment methods (API.md and the issue-10 agreement)', () => {
  it.each([
    ['pm_card_visa', { kind: 'approve', network: 'visa' }],
    ['pm_card_mastercard', { kind: 'approve', network: 'mastercard' }],
    ['pm_card_chargeDeclined', { kind: 'decline', decline: 'generic', network: 'visa' }],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      { kind: 'decline', decline: 'insufficient_funds', network: 'visa' },
    ],
    ['pm_card_chargeDeclinedLostCard', { kind: 'decline', decline: 'lost_card', network: 'visa' }],
    ['pm_card_visa_chargeDeclinedStolenCard', { kind: 'decline', decline: 'stolen_card', network: 'visa' }],
    [
      'pm_card_mastercard_doNotTryAgain',
      { kind: 'decline', decline: 'do_not_try_again', network: 'mastercard' },
    ],
    [
      'pm_card_insufficientFundsTwice',
      { kind: 'decline_twice', decline: 'insufficient_funds', network: 'visa' },
    ],
    ['pm_card_timeout', { kind: 'slow', network: 'visa' }],
    ['pm_card_captureFailsLater', { kind: 'approve', network: 'visa', later: 'capture_fails' }],
    ['pm_card_refundFailsLater', { kind: 'approve', network: 'visa', later: 'refund_fails' }],
    ['pm_card_refundReversedLater', { kind: 'approve', network: 'visa', later: 'refund_reversed' }],
    ['pm_card_amex', { kind: 'approve', network: 'amex' }],
  ])('%s → %j', (token, expected) => {
    expect(cardBehaviour(token)).toEqual(expected);
  });

  it('knows nothing else', () => {
    expect(cardBehaviour('tok_visa')).toBeUndefined();
    expect(cardBehaviour('pm_card_Visa2')).toBeUndefined();
    expect(cardBehaviour(undefined)).toBeUndefined();
  });

  it('declines pm_card_insufficientFundsTwice on the first two authorizations only', () => {
    const twice = cardBehaviour('pm_card_insufficientFundsTwice')!;
    expect([1, 2, 3, 4].map((n) => resolveCard(twice, n))).toEqual([
      { kind: 'decline', decline: 'insufficient_funds', network: 'visa' },
      { kind: 'decline', decline: 'insufficient_funds', network: 'visa' },
      { kind: 'approve', network: 'visa' },
      { kind: 'approve', network: 'visa' },
    ]);
  });

  it('resolves every other card the same whatever the count', () => {
    const others: CardBehaviour[] = [
      { kind: 'approve', network: 'visa', later: 'refund_fails' },
      { kind: 'slow', network: 'visa' },
      { kind: 'decline', decline: 'lost_card', network: 'visa' },
    ];
    for (const card of others) for (const n of [1, 3, 10]) expect(resolveCard(card, n)).toBe(card);
  });

  it('names Mastercard "mc" on Adyen and keeps other networks', () => {
    expect(adyenPaymentMethodOf('mastercard')).toBe('mc');
    expect(adyenPaymentMethodOf('visa')).toBe('visa');
    expect(adyenPaymentMethodOf('amex')).toBe('amex');
  });
});

describe('decline wording', () => {
  it.each<[DeclineName, string, string, string | undefined, string, string, string, string | undefined]>([
    ['generic', 'generic_decline', '05', undefined, 'Refused', '2', '05 : Do not honor', undefined],
    [
      'insufficient_funds',
      'insufficient_funds',
      '51',
      undefined,
      'Not enough balance',
      '12',
      '51 : Insufficient funds',
      undefined,
    ],
    ['lost_card', 'lost_card', '41', undefined, 'Blocked Card', '5', '41 : Lost card', undefined],
    ['stolen_card', 'stolen_card', '43', undefined, 'Blocked Card', '5', '43 : Stolen card', undefined],
    [
      'do_not_try_again',
      'do_not_honor',
      '05',
      '03',
      'Refused',
      '2',
      '05 : Do not honor',
      '03: Do not try again',
    ],
  ])(
    '%s: Stripe %s/%s/%s, Adyen %s/%s/%s/%s',
    (name, declineCode, networkCode, advice, reason, reasonCode, raw, merchantAdvice) => {
      const { stripe, adyen } = DECLINES[name];
      // Stripe sends `card_declined` for every issuer decline; the decline code tells them apart.
      expect(stripe.code).toBe('card_declined');
      expect(stripe.decline_code).toBe(declineCode);
      expect(stripe.network_decline_code).toBe(networkCode);
      expect(stripe.network_advice_code).toBe(advice);
      expect(adyen).toEqual({
        refusalReason: reason,
        refusalReasonCode: reasonCode,
        refusalReasonRaw: raw,
        ...(merchantAdvice ? { merchantAdviceCode: merchantAdvice } : {}),
      });
    },
  );
});
