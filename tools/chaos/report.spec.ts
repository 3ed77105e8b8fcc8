import { countOutcomes, passed } from './report';

describe('the chaos result', () => {
  it('passes only when quiet and every invariant passed (unavailable is not a pass)', () => {
    expect(passed([{ name: 'a', verdict: 'pass', detail: '' }], true)).toBe(true);
    expect(passed([{ name: 'a', verdict: 'pass', detail: '' }], false)).toBe(false);
    expect(passed([{ name: 'a', verdict: 'unavailable', detail: '' }], true)).toBe(false);
    expect(passed([{ name: 'a', verdict: 'fail', detail: '' }], true)).toBe(false);
  });

  it('counts payments by outcome', () => {
    expect(
      countOutcomes([
        { index: 0, merchantId: 'm', outcome: 'captured' },
        { index: 1, merchantId: 'm', outcome: 'captured' },
        { index: 2, merchantId: 'm', outcome: 'declined' },
      ]),
    ).toEqual({ captured: 2, declined: 1 });
  });
});
