import { IdempotencyStore } from './idempotency-store';

describe('IdempotencyStore', () => {
  it('executes once per key and replays the first answer', () => {
    const store = new IdempotencyStore();
    let runs = 0;
    const execute = () => ({ status: 200, body: { run: ++runs } });
    expect(store.run('stripe', 'k1', 'f', 'authorize', execute)).toEqual({
      kind: 'executed',
      response: { status: 200, body: { run: 1 } },
    });
    expect(store.run('stripe', 'k1', 'f', 'authorize', execute)).toEqual({
      kind: 'replayed',
      response: { status: 200, body: { run: 1 } },
    });
    expect(runs).toBe(1);
    expect(store.lookup('stripe', 'k1')).toEqual([
      { provider: 'stripe', key: 'k1', operation: 'authorize', executions: 1, replays: 1 },
    ]);
    expect(store.duplicates()).toEqual([]);
  });

  it('refuses the same key with other parameters', () => {
    const store = new IdempotencyStore();
    store.run('adyen', 'k', 'f1', 'capture', () => ({ status: 201, body: {} }));
    expect(store.run('adyen', 'k', 'f2', 'capture', () => ({ status: 201, body: {} }))).toEqual({
      kind: 'conflict',
    });
  });

  it('scopes keys per provider', () => {
    const store = new IdempotencyStore();
    store.run('stripe', 'k', 'f', 'authorize', () => ({ status: 200, body: 's' }));
    expect(store.run('adyen', 'k', 'f', 'authorize', () => ({ status: 200, body: 'a' })).kind).toBe(
      'executed',
    );
    expect(store.totals('stripe')).toEqual({ keys: 1, executions: 1, replays: 0 });
  });

  it('does not keep answers of requests refused before executing', () => {
    const store = new IdempotencyStore();
    store.run('stripe', 'k', 'f', 'authorize', () => ({ status: 400, body: 'bad', replayable: false }));
    expect(store.run('stripe', 'k', 'f', 'authorize', () => ({ status: 200, body: 'ok' }))).toEqual({
      kind: 'executed',
      response: { status: 200, body: 'ok' },
    });
  });

  it('executes every request without a key', () => {
    const store = new IdempotencyStore();
    let runs = 0;
    store.run('stripe', undefined, 'f', 'retrieve', () => ({ status: 200, body: ++runs }));
    store.run('stripe', undefined, 'f', 'retrieve', () => ({ status: 200, body: ++runs }));
    expect(runs).toBe(2);
  });

  it('saves a failure as the answer of a key that executed (Stripe’s saved 500), and only then', () => {
    const store = new IdempotencyStore();
    let runs = 0;
    const execute = () => ({ status: 200, body: { run: ++runs } });
    store.run('stripe', 'k', 'f', 'authorize', execute);
    const failure = { status: 500, body: { error: { type: 'api_error' } } };
    expect(store.saveAnswer('stripe', 'k', failure)).toBe(true);
    expect(store.run('stripe', 'k', 'f', 'authorize', execute)).toEqual({
      kind: 'replayed',
      response: failure,
    });
    // The fingerprint of the first request still guards the key.
    expect(store.run('stripe', 'k', 'other', 'authorize', execute)).toEqual({ kind: 'conflict' });
    expect(runs).toBe(1);
    expect(store.saveAnswer('stripe', 'never-ran', failure)).toBe(false);
    expect(store.run('stripe', 'never-ran', 'f', 'authorize', execute).kind).toBe('executed');
  });

  it('locks a key while its request runs, per provider', () => {
    const store = new IdempotencyStore();
    expect(store.acquire('stripe', 'k')).toBe(true);
    expect(store.acquire('stripe', 'k')).toBe(false);
    expect(store.acquire('adyen', 'k')).toBe(true);
    store.release('stripe', 'k');
    expect(store.acquire('stripe', 'k')).toBe(true);
  });
});
