import { adyenMerchantReference, parseAdyenMerchantReference } from './adyen.reference';

describe('Adyen merchant reference', () => {
  it('joins the intent and attempt ids and parses them back', () => {
    const reference = adyenMerchantReference('pi_3Abc', 'att_0123456789abcdef01234567');
    expect(reference).toBe('pi_3Abc:att_0123456789abcdef01234567');
    expect(parseAdyenMerchantReference(reference)).toEqual({
      intentId: 'pi_3Abc',
      attemptId: 'att_0123456789abcdef01234567',
    });
  });

  it('accepts a bare attempt id from older payments', () => {
    expect(parseAdyenMerchantReference('att_1')).toEqual({ intentId: null, attemptId: 'att_1' });
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['ORDER-42'],
    ['pi_1:'],
    [':att_1'],
    ['pi_1:att_1:extra'],
    ['cus_1:att_1'],
    ['pi_1:ref_1'],
  ])('reads %j as no PayFlow ids', (reference) => {
    expect(parseAdyenMerchantReference(reference)).toBeNull();
  });
});
