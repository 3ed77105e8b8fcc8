import { formatInvoiceNumber, sequenceOf } from './invoice-number';

describe('invoice numbers', () => {
  it('formats the live and test sequences', () => {
    expect(formatInvoiceNumber('ACME', 'live', 1)).toBe('ACME-000001');
    expect(formatInvoiceNumber('ACME', 'test', 42)).toBe('TEST-ACME-000042');
    expect(formatInvoiceNumber('ACME', 'live', 999_999)).toBe('ACME-999999');
    expect(formatInvoiceNumber('ACME', 'live', 1_000_000)).toBe('ACME-1000000');
  });

  it('refuses a number that is not a positive integer', () => {
    expect(() => formatInvoiceNumber('ACME', 'live', 0)).toThrow(RangeError);
    expect(() => formatInvoiceNumber('ACME', 'live', 1.5)).toThrow(RangeError);
  });

  it('draws test-clock customers from the test sequence', () => {
    expect(sequenceOf(null)).toBe('live');
    expect(sequenceOf('clock_abc')).toBe('test');
  });
});
