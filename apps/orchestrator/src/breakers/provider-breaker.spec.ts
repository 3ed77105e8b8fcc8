import { PspError } from '@payflow/psp';
import { waitFor } from '@payflow/platform/testing';
import { countsAgainstBreaker, ProviderBreaker, type BreakerState } from './provider-breaker';

const refused = () =>
  new PspError({
    provider: 'stripe',
    errorClass: 'not_executed',
    retryable: true,
    code: 'psp_unreachable',
    message: 'refused',
  });
const timedOut = () =>
  new PspError({
    provider: 'stripe',
    errorClass: 'indeterminate',
    retryable: true,
    code: 'psp_timeout',
    message: 'timeout',
  });
const refusedRequest = () =>
  new PspError({
    provider: 'stripe',
    errorClass: 'declined',
    retryable: false,
    code: 'amount_too_large',
    message: 'capture above the authorization',
  });
const unsendable = () =>
  new PspError({
    provider: 'stripe',
    errorClass: 'not_executed',
    retryable: false,
    code: 'amount_not_supported',
    message: 'no',
  });

/**
 * cockatiel reads the real clock (under Jest it is loaded outside the test realm, where fake timers do
 * not reach), so the breakers here open for a few milliseconds and the tests wait for the observable
 * state (`isAvailable()`), never for a fixed time.
 */
describe('circuit breaker per provider (cockatiel)', () => {
  const fail = (breaker: ProviderBreaker, error: Error) =>
    breaker.execute(() => Promise.reject(error)).catch((e) => e);
  const succeed = (breaker: ProviderBreaker) => breaker.execute(() => Promise.resolve('ok'));

  it('counts only calls without an answer: never declines, nor requests refused before sending', () => {
    expect(countsAgainstBreaker(refused())).toBe(true);
    expect(countsAgainstBreaker(timedOut())).toBe(true);
    expect(countsAgainstBreaker(refusedRequest())).toBe(false);
    expect(countsAgainstBreaker(unsendable())).toBe(false);
    expect(countsAgainstBreaker(new Error('not a PSP error'))).toBe(false);
  });

  it('goes closed → open → half-open → closed', async () => {
    const states: BreakerState[] = [];
    const breaker = new ProviderBreaker({ threshold: 3, halfOpenAfterMs: 40 }, (state) => states.push(state));

    await fail(breaker, refused());
    await fail(breaker, timedOut());
    expect(breaker.state).toBe('closed');
    await fail(breaker, refused());
    expect(breaker.state).toBe('open');
    expect(breaker.isAvailable()).toBe(false);

    // Open: calls are refused without reaching the PSP.
    const call = jest.fn(() => Promise.resolve('ok'));
    // (cockatiel's promises come from Node's own module realm: settle them with catch, not `.rejects`.)
    expect(await breaker.execute(call).catch((e) => e)).toMatchObject({ isBrokenCircuitError: true });
    expect(call).not.toHaveBeenCalled();

    expect(breaker.reopensInMs()).toBeGreaterThan(0);
    expect(breaker.reopensInMs()).toBeLessThanOrEqual(40);
    await waitFor(() => breaker.isAvailable(), { intervalMs: 5, what: 'the breaker to allow a probe' });
    expect(breaker.reopensInMs()).toBe(0); // a probe may pass: routing uses the provider again

    // The probe succeeds: half-open, then closed.
    let finishProbe: (value: string) => void = () => undefined;
    const probe = breaker.execute(() => new Promise<string>((resolve) => (finishProbe = resolve)));
    expect(breaker.state).toBe('half_open');
    finishProbe('ok');
    expect(await probe).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('reopens when the half-open probe fails, for another full wait', async () => {
    const breaker = new ProviderBreaker({ threshold: 1, halfOpenAfterMs: 30 });
    await fail(breaker, refused());
    expect(breaker.state).toBe('open');
    await waitFor(() => breaker.isAvailable(), { intervalMs: 5 });
    await fail(breaker, timedOut());
    expect(breaker.state).toBe('open');
    expect(breaker.isAvailable()).toBe(false);
    expect(breaker.reopensInMs()).toBeGreaterThan(0);
  });

  it('a decline in half-open is an answer: it closes the breaker', async () => {
    const breaker = new ProviderBreaker({ threshold: 1, halfOpenAfterMs: 10 });
    await fail(breaker, refused());
    await waitFor(() => breaker.isAvailable(), { intervalMs: 5 });
    await fail(breaker, refusedRequest());
    expect(breaker.state).toBe('closed');
  });

  it('resets its count on success: only consecutive failures open it', async () => {
    const breaker = new ProviderBreaker({ threshold: 2, halfOpenAfterMs: 1_000 });
    await fail(breaker, refused());
    await succeed(breaker);
    await fail(breaker, refused());
    expect(breaker.state).toBe('closed');
    await fail(breaker, refused());
    expect(breaker.state).toBe('open');
  });
});
