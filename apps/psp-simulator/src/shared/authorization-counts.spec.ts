import { AuthorizationCounts } from './authorization-counts';

describe('AuthorizationCounts', () => {
  it('numbers authorizations per intent and treats unknown intents as first', () => {
    const counts = new AuthorizationCounts();
    expect([counts.next('pi_a'), counts.next('pi_a'), counts.next('pi_b'), counts.next('pi_a')]).toEqual([
      1, 2, 1, 3,
    ]);
    expect([counts.next(null), counts.next(null)]).toEqual([1, 1]);
  });
});
