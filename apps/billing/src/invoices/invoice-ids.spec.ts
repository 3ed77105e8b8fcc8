import { boundaryOfKey, invoiceIdOf } from './invoice-ids';

describe('invoiceIdOf', () => {
  it('is deterministic, distinct per subscription and key, and a well-formed in_ id', () => {
    const id = invoiceIdOf('sub_a', 'b:1767225600');
    expect(id).toMatch(/^in_[0-9a-f]{24}$/);
    expect(invoiceIdOf('sub_a', 'b:1767225600')).toBe(id);
    expect(invoiceIdOf('sub_b', 'b:1767225600')).not.toBe(id);
    expect(invoiceIdOf('sub_a', 'now:1767225600')).not.toBe(id);
  });
});

describe('boundaryOfKey', () => {
  it('reads period boundary keys only', () => {
    expect(boundaryOfKey('b:1767225600')).toBe(1767225600);
    expect(boundaryOfKey('now:1767225600')).toBeNull();
    expect(boundaryOfKey('b:')).toBeNull();
  });
});
