import { adviceForbidsRetry, cardNetwork, leadingCode } from './network-codes';

describe('network codes', () => {
  it.each([
    ['51 : Insufficient funds', '51'],
    ['41 : Lost card', '41'],
    ['03: Do not try again', '03'],
    ['N7 : Decline for CVV2 failure', 'N7'],
    ['05', '05'],
    ['Refused', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('leadingCode(%j) = %j', (text, expected) => {
    expect(leadingCode(text)).toBe(expected);
  });

  it.each([
    ['03', true],
    ['21', true],
    ['01', false],
    ['02', false],
    [undefined, false],
  ])('advice %s forbids retrying: %s', (code, expected) => {
    expect(adviceForbidsRetry(code)).toBe(expected);
  });

  it.each([
    ['visa', 'visa'],
    ['Visa', 'visa'],
    ['mc', 'mastercard'],
    ['mastercard', 'mastercard'],
    ['mccredit', 'mastercard'],
    ['mc_applepay', 'mastercard'],
    ['visadebit', 'visa'],
    ['amex', 'amex'],
    ['cup', 'unionpay'],
    ['somethingnew', 'somethingnew'],
    ['', undefined],
    [undefined, undefined],
  ])('cardNetwork(%j) = %j', (brand, expected) => {
    expect(cardNetwork(brand)).toBe(expected);
  });
});
