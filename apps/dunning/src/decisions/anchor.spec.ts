import { anchorOf } from './anchor';

const T0 = 1_767_225_600;

describe('anchorOf', () => {
  it('is the case’s own first failure when it is the subscription’s only open case', () => {
    expect(anchorOf([{ first_failure_at: T0 }])).toBe(T0);
  });

  it('is the earliest open case’s first failure, whatever the order given', () => {
    expect(anchorOf([{ first_failure_at: T0 + 700 }, { first_failure_at: T0 }, { first_failure_at: T0 + 300 }])).toBe(T0);
  });

  it('moves to the next case’s own first failure once the earliest is no longer open', () => {
    const open = [{ first_failure_at: T0 }, { first_failure_at: T0 + 7 * 86_400 }];
    expect(anchorOf(open)).toBe(T0);
    expect(anchorOf(open.slice(1))).toBe(T0 + 7 * 86_400);
  });

  it('is null without an open case', () => {
    expect(anchorOf([])).toBeNull();
  });
});
