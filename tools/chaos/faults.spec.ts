import { FaultRunner, GAP_BEFORE_WEBHOOK_DROP_MS, laneOf, type FaultTargets } from './faults';
import type { FaultEvent } from './schedule';

function targets(restarts: string[], release: Promise<void>): FaultTargets {
  return {
    cluster: {} as FaultTargets['cluster'],
    broker: {} as FaultTargets['broker'],
    restartService: async (name) => {
      restarts.push(name);
      await release;
    },
    simulatorUrl: 'http://unused',
    producer: () => Promise.reject(new Error('unused')),
    poisonTopic: 'unused',
    seed: 1,
    log: () => undefined,
  };
}

describe('the fault runner', () => {
  it('puts infrastructure and simulator faults in separate lanes', () => {
    expect(laneOf({ kind: 'postgres', atPayment: 1, durationMs: 1 })).toBe('infrastructure');
    expect(laneOf({ kind: 'kill', atPayment: 1, service: 'ledger' })).toBe('infrastructure');
    expect(laneOf({ kind: 'poison', atPayment: 1, count: 1 })).toBe('simulator');
    expect(
      laneOf({
        kind: 'psp_side',
        atPayment: 1,
        durationMs: 1,
        provider: 'stripe',
        window: 'timeout',
        spec: 'timeout=0.5',
      }),
    ).toBe('simulator');
  });

  it('fires a fault when its payment starts, and holds later payments until the faults due have begun', async () => {
    const restarts: string[] = [];
    let finishFirst!: () => void;
    const first = new Promise<void>((resolve) => (finishFirst = resolve));
    const schedule: FaultEvent[] = [
      { kind: 'kill', atPayment: 2, service: 'ledger' },
      { kind: 'kill', atPayment: 3, service: 'intents' },
    ];
    const runner = new FaultRunner(schedule, targets(restarts, first));
    const done = runner.run();

    await runner.paymentStarting(0); // nothing due yet
    expect(restarts).toEqual([]);
    await runner.paymentStarting(1); // payment #2 starts: the ledger kill begins first
    expect(restarts).toEqual(['ledger']);

    // Payment #3 is due the intents kill, which waits in its lane behind the ledger restart.
    let thirdStarted = false;
    const third = runner.paymentStarting(2).then(() => (thirdStarted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdStarted).toBe(false);
    finishFirst();
    await third;
    expect(restarts).toEqual(['ledger', 'intents']);

    runner.workloadFinished();
    await done;
    expect(runner.injected.map((f) => [f.kind, f.at_payment, f.during_load])).toEqual([
      ['kill', 2, true],
      ['kill', 3, true],
    ]);
  });

  it('injects what is left once the workload has finished', async () => {
    const restarts: string[] = [];
    const runner = new FaultRunner(
      [{ kind: 'kill', atPayment: 500, service: 'gateway' }],
      targets(restarts, Promise.resolve()),
    );
    const done = runner.run();
    runner.workloadFinished();
    await done;
    expect(restarts).toEqual(['gateway']);
    expect(runner.injected[0]).toMatchObject({ kind: 'kill', during_load: false });
  });

  describe('PSP-side windows', () => {
    const calls: { at: number; method: string; url: string; body?: string }[] = [];
    const realFetch = global.fetch;

    beforeEach(() => {
      jest.useFakeTimers();
      calls.length = 0;
      global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
        calls.push({
          at: Date.now(),
          method: init?.method ?? 'GET',
          url: String(url),
          body: init?.body as string,
        });
        return new Response('{}', { status: 200 });
      }) as typeof fetch;
    });

    afterEach(() => {
      jest.useRealTimers();
      global.fetch = realFetch;
    });

    it('sets the spec on its PSP for its duration, then clears it; a webhook_drop window first waits out the later failures of the window before', async () => {
      const schedule: FaultEvent[] = [
        {
          kind: 'psp_side',
          atPayment: 1,
          durationMs: 10_000,
          provider: 'stripe',
          window: 'last_word',
          spec: 'refund_failed=0.2',
        },
        {
          kind: 'psp_side',
          atPayment: 1,
          durationMs: 5_000,
          provider: 'stripe',
          window: 'webhook_drop',
          spec: 'webhook_drop=0.3',
        },
      ];
      const runner = new FaultRunner(schedule, targets([], Promise.resolve()));
      const started = Date.now();
      const done = runner.run();
      runner.workloadFinished();
      await jest.advanceTimersByTimeAsync(10_000 + GAP_BEFORE_WEBHOOK_DROP_MS + 5_000 + 100);
      await done;
      expect(calls.map((c) => [c.at - started, c.method, c.url, c.body])).toEqual([
        [0, 'POST', 'http://unused/_simulator/faults/stripe', JSON.stringify({ spec: 'refund_failed=0.2' })],
        [10_000, 'DELETE', 'http://unused/_simulator/faults/stripe', undefined],
        [
          10_000 + GAP_BEFORE_WEBHOOK_DROP_MS,
          'POST',
          'http://unused/_simulator/faults/stripe',
          JSON.stringify({ spec: 'webhook_drop=0.3' }),
        ],
        [
          10_000 + GAP_BEFORE_WEBHOOK_DROP_MS + 5_000,
          'DELETE',
          'http://unused/_simulator/faults/stripe',
          undefined,
        ],
      ]);
      expect(GAP_BEFORE_WEBHOOK_DROP_MS).toBeGreaterThan(1_000); // SIMULATOR_LATE_FAILURE_DELAY_MS
      expect(runner.injected.map((f) => f.kind)).toEqual(['psp_side', 'psp_side']);
    });
  });
});
