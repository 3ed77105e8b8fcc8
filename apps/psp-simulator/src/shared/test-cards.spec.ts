import { cardBehaviour } from './test-cards';

describe('test payment methods (API.md)', () => {
  it.each([
    ['pm_card_visa', { kind: 'approve' }],
    ['pm_card_mastercard', { kind: 'approve' }],
    ['pm_card_chargeDeclined', { kind: 'decline', decline: 'generic' }],
    ['pm_card_chargeDeclinedInsufficientFunds', { kind: 'decline', decline: 'insufficient_funds' }],
    ['pm_card_chargeDeclinedLostCard', { kind: 'decline', decline: 'lost_card' }],
    ['pm_card_timeout', { kind: 'slow' }],
    ['pm_card_amex', { kind: 'approve', brand: 'amex' }],
  ])('%s → %j', (token, expected) => {
    expect(cardBehaviour(token)).toMatchObject(expected);
  });

  it('knows nothing else', () => {
    expect(cardBehaviour('tok_visa')).toBeUndefined();
    expect(cardBehaviour(undefined)).toBeUndefined();
  });
});
