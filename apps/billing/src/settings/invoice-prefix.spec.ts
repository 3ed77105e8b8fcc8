import { INVOICE_PREFIX_PATTERN, defaultInvoicePrefix } from './invoice-prefix';

describe('defaultInvoicePrefix', () => {
  it('is the last 8 characters of the merchant id, upper case', () => {
    expect(defaultInvoicePrefix('mer_a1B2c3D4e5F6g7H8')).toBe('E5F6G7H8');
  });

  it('keeps only letters and digits and never passes 8', () => {
    expect(defaultInvoicePrefix('mer_ab-cd_ef-gh_ij')).toBe('CDEFGHIJ');
  });

  it('pads a short id to the 3 characters the pattern needs', () => {
    expect(defaultInvoicePrefix('mer_a')).toBe('00A');
    expect(defaultInvoicePrefix('mer_-_')).toBe('000');
  });

  it.each(['mer_a1B2c3D4e5F6g7H8', 'mer_x', 'mer_ab-cd', 'mer_0123456789abcdefghij'])(
    'always satisfies the settable pattern (%s)',
    (id) => expect(defaultInvoicePrefix(id)).toMatch(INVOICE_PREFIX_PATTERN),
  );
});
