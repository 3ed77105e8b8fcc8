import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  CreatePaymentIntentRequest,
  ListPaymentIntentsQuery,
  RefundRequest,
  isValidIdempotencyKey,
} from './index';

/** Validates as the services' ValidationPipe does: no implicit conversion, unknown fields refused. */
function check<T extends object>(
  cls: new () => T,
  plain: unknown,
): { value: T; errors: Record<string, string> } {
  const value = plainToInstance(cls, plain, { enableImplicitConversion: false }) as T;
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return {
    value,
    errors: Object.fromEntries(
      errors.map((e) => [e.property, Object.values(e.constraints ?? {}).join('; ')]),
    ),
  };
}

const valid = { amount: 10_000, currency: 'usd' };

describe('CreatePaymentIntentRequest', () => {
  it('accepts the minimal body, normalizes the currency and defaults capture_method to manual', () => {
    const { value, errors } = check(CreatePaymentIntentRequest, valid);
    expect(errors).toEqual({});
    expect(value.currency).toBe('USD');
    expect(value.capture_method).toBe('manual');
  });

  it('accepts every optional field at its limits', () => {
    const metadata = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(40, 'x'), 'v'.repeat(500)]),
    );
    const { errors } = check(CreatePaymentIntentRequest, {
      amount: 99_999_999,
      currency: 'JPY',
      merchant_id: 'mer_abc',
      payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
      capture_method: 'automatic',
      description: 'd'.repeat(1000),
      metadata,
    });
    expect(errors).toEqual({});
  });

  it.each([
    ['a string amount', { amount: '100' }],
    ['a fractional amount', { amount: 10.5 }],
    ['a zero amount', { amount: 0 }],
    ['a negative amount', { amount: -1 }],
    ['an amount above 99,999,999', { amount: 100_000_000 }],
    ['a boolean amount', { amount: true }],
    ['a missing amount', { amount: undefined }],
  ])('refuses %s naming amount', (_what, patch) => {
    const { errors } = check(CreatePaymentIntentRequest, { ...valid, ...patch });
    expect(Object.keys(errors)).toEqual(['amount']);
    expect(errors['amount']).toMatch(/amount/);
  });

  it.each([
    ['an unknown code', 'XYZ'],
    ['a withdrawn code', 'HRK'],
    ['a number', 840],
    ['two letters', 'US'],
    ['a prototype key', 'constructor'],
  ])('refuses %s as currency', (_what, currency) => {
    const { errors } = check(CreatePaymentIntentRequest, { ...valid, currency });
    expect(Object.keys(errors)).toEqual(['currency']);
    expect(errors['currency']).toMatch(/currency must be a supported ISO 4217/);
  });

  it.each([
    ['capture_method', { capture_method: 'later' }],
    ['description', { description: 'd'.repeat(1001) }],
    ['description', { description: 42 }],
    ['payment_method', { payment_method: '4242424242424242' }],
    ['payment_method', { payment_method: `pm_${'x'.repeat(253)}` }],
    ['merchant_id', { merchant_id: 42 }],
    ['merchant_id', { merchant_id: 'acct_1' }],
    ['metadata', { metadata: ['a'] }],
    ['metadata', { metadata: 'a=b' }],
    ['metadata', { metadata: { n: 1 } }],
    ['metadata', { metadata: { ['k'.repeat(41)]: 'v' } }],
    ['metadata', { metadata: { '': 'v' } }],
    ['metadata', { metadata: { k: 'v'.repeat(501) } }],
    ['metadata', { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }],
    ['unexpected', { unexpected: true }],
  ])('refuses a bad %s', (param, patch) => {
    const { errors } = check(CreatePaymentIntentRequest, { ...valid, ...patch });
    expect(Object.keys(errors)).toEqual([param]);
  });
});

describe('command requests', () => {
  it('accept empty bodies', () => {
    for (const cls of [AuthorizeRequest, CaptureRequest, CancelRequest, RefundRequest]) {
      expect(check(cls as new () => object, {}).errors).toEqual({});
    }
  });

  it.each([
    ['CaptureRequest', CaptureRequest, { amount: '100' }, 'amount'],
    ['CaptureRequest', CaptureRequest, { amount: 0 }, 'amount'],
    ['CaptureRequest', CaptureRequest, { amount: 1.5 }, 'amount'],
    ['RefundRequest', RefundRequest, { amount: -5 }, 'amount'],
    ['RefundRequest', RefundRequest, { amount: 100_000_000 }, 'amount'],
    ['RefundRequest', RefundRequest, { reason: 'r'.repeat(501) }, 'reason'],
    ['CancelRequest', CancelRequest, { reason: 7 }, 'reason'],
    ['AuthorizeRequest', AuthorizeRequest, { payment_method: 'card_4242' }, 'payment_method'],
    ['AuthorizeRequest', AuthorizeRequest, { pm: 'pm_card_visa' }, 'pm'],
  ] as const)('%s refuses a bad body (case %#)', (_name, cls, body, param) => {
    expect(Object.keys(check(cls as new () => object, body).errors)).toEqual([param]);
  });
});

describe('ListPaymentIntentsQuery', () => {
  it('converts query strings and defaults limit to 10', () => {
    expect(check(ListPaymentIntentsQuery, {}).value.limit).toBe(10);
    const { value, errors } = check(ListPaymentIntentsQuery, {
      limit: '25',
      starting_after: 'pi_abc',
      status: 'captured',
    });
    expect(errors).toEqual({});
    expect(value.limit).toBe(25);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ starting_after: 're_abc' }, 'starting_after'],
    [{ status: 'succeeded' }, 'status'],
  ])('refuses %p naming %s', (query, param) => {
    expect(Object.keys(check(ListPaymentIntentsQuery, query).errors)).toEqual([param]);
  });
});

describe('isValidIdempotencyKey', () => {
  it('accepts 1 to 255 printable characters only', () => {
    expect(isValidIdempotencyKey('order-1234 retry')).toBe(true);
    expect(isValidIdempotencyKey('k'.repeat(255))).toBe(true);
    expect(isValidIdempotencyKey('k'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('tab\there')).toBe(false);
    expect(isValidIdempotencyKey(undefined)).toBe(false);
  });
});
