import { FaultInjector, type RequestFault } from './fault-injector';
import { NO_FAULTS, parseFaultSpec } from './fault-spec';
import { SeededRandom, deriveSeed } from './seeded-random';

function decisions(injector: FaultInjector, count: number): string[] {
  return Array.from({ length: count }, () => {
    const request = injector.decideRequest('stripe');
    const webhook = injector.decideWebhook('stripe');
    return `${request.fault}/${request.latencyMs}/${webhook.duplicate}/${webhook.reorder}`;
  });
}

const MIXED = parseFaultSpec(
  'latency_ms=5,latency_jitter_ms=20,error_5xx_executed=0.2,error_5xx_not_executed=0.1,timeout=0.1,reset=0.1,rate_limit=0.1,webhook_duplicate=0.3,webhook_reorder=0.3',
);

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    for (const value of seqA) expect(value >= 0 && value < 1).toBe(true);
  });

  it('derives distinct seeds per provider and stream', () => {
    expect(deriveSeed(1, 'stripe', 'requests')).not.toBe(deriveSeed(1, 'adyen', 'requests'));
    expect(deriveSeed(1, 'stripe', 'requests')).not.toBe(deriveSeed(1, 'stripe', 'webhooks'));
    expect(deriveSeed(1, 'stripe', 'requests')).toBe(deriveSeed(1, 'stripe', 'requests'));
  });
});

describe('FaultInjector', () => {
  it('is reproducible: the same seed and spec give the same faults', () => {
    expect(decisions(new FaultInjector(7, { stripe: MIXED }), 200)).toEqual(
      decisions(new FaultInjector(7, { stripe: MIXED }), 200),
    );
    expect(decisions(new FaultInjector(7, { stripe: MIXED }), 200)).not.toEqual(
      decisions(new FaultInjector(8, { stripe: MIXED }), 200),
    );
  });

  it('restarts the sequence when reconfigured', () => {
    const injector = new FaultInjector(7, { stripe: MIXED });
    const first = decisions(injector, 50);
    injector.configure('stripe', MIXED);
    expect(decisions(injector, 50)).toEqual(first);
  });

  it('injects each fault at roughly its probability', () => {
    const injector = new FaultInjector(3, { stripe: MIXED });
    const counts: Partial<Record<RequestFault, number>> = {};
    for (let i = 0; i < 10_000; i += 1) {
      const { fault, latencyMs } = injector.decideRequest('stripe');
      counts[fault] = (counts[fault] ?? 0) + 1;
      expect(latencyMs).toBeGreaterThanOrEqual(5);
      expect(latencyMs).toBeLessThanOrEqual(25);
    }
    expect(counts.error_5xx_executed! / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.none! / 10_000).toBeCloseTo(0.4, 1);
    expect(counts.reset! / 10_000).toBeCloseTo(0.1, 1);
  });

  it('stops after `limit` faults', () => {
    const injector = new FaultInjector(1, { adyen: parseFaultSpec('timeout=1,limit=2') });
    expect([1, 2, 3, 4].map(() => injector.decideRequest('adyen').fault)).toEqual([
      'timeout',
      'timeout',
      'none',
      'none',
    ]);
    expect(injector.injected('adyen')).toBe(2);
  });

  it('keeps providers apart and resets to no faults', () => {
    const injector = new FaultInjector(1, { stripe: parseFaultSpec('reset=1') });
    expect(injector.decideRequest('adyen').fault).toBe('none');
    expect(injector.decideRequest('stripe').fault).toBe('reset');
    injector.reset('stripe');
    expect(injector.spec('stripe')).toEqual(NO_FAULTS);
    expect(injector.decideRequest('stripe').fault).toBe('none');
  });

  it('injects the after-execution request faults', () => {
    const injector = new FaultInjector(1, {
      stripe: parseFaultSpec('error_5xx_saved=1'),
      adyen: parseFaultSpec('reset_after_execution=1'),
    });
    expect(injector.decideRequest('stripe').fault).toBe('error_5xx_saved');
    expect(injector.decideRequest('adyen').fault).toBe('reset_after_execution');
  });

  it('keeps the older faults’ decisions for a seed when the new keys are unset', () => {
    const old = parseFaultSpec('error_5xx_executed=0.3,reset=0.2');
    const same = parseFaultSpec('error_5xx_executed=0.3,reset=0.2,webhook_late_ms=5');
    const a = new FaultInjector(9, { stripe: old });
    const b = new FaultInjector(9, { stripe: same });
    for (let i = 0; i < 100; i += 1)
      expect(a.decideRequest('stripe').fault).toBe(b.decideRequest('stripe').fault);
  });

  it('drops and delays webhooks at their probabilities', () => {
    const injector = new FaultInjector(5, {
      stripe: parseFaultSpec('webhook_drop=0.25,webhook_late=0.5,webhook_late_ms=900,webhook_delay_ms=10'),
    });
    let drops = 0;
    let late = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const decision = injector.decideWebhook('stripe');
      if (decision.drop) drops += 1;
      if (decision.extraDelayMs === 910) late += 1;
      else expect(decision.extraDelayMs).toBe(10);
    }
    expect(drops / 10_000).toBeCloseTo(0.25, 1);
    expect(late / 10_000).toBeCloseTo(0.5, 1);
    expect(new FaultInjector(5).decideWebhook('stripe')).toEqual({
      extraDelayMs: 0,
      duplicate: false,
      reorder: false,
      drop: false,
    });
  });

  it('decides later failures of captures and refunds, seeded and apart from request faults', () => {
    const spec = parseFaultSpec('capture_failed=0.5,refund_failed=0.2,refund_reversed=0.3');
    const fates = (injector: FaultInjector) =>
      Array.from(
        { length: 200 },
        () => `${injector.decideCaptureFails('adyen')}/${injector.decideRefundFate('adyen')}`,
      );
    expect(fates(new FaultInjector(4, { adyen: spec }))).toEqual(
      fates(new FaultInjector(4, { adyen: spec })),
    );

    const injector = new FaultInjector(4, { adyen: spec });
    const counts = { stays: 0, fails: 0, reversed: 0 };
    let captureFails = 0;
    for (let i = 0; i < 10_000; i += 1) {
      counts[injector.decideRefundFate('adyen')] += 1;
      if (injector.decideCaptureFails('adyen')) captureFails += 1;
    }
    expect(counts.fails / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.reversed / 10_000).toBeCloseTo(0.3, 1);
    expect(captureFails / 10_000).toBeCloseTo(0.5, 1);

    const none = new FaultInjector(4);
    expect(none.decideRefundFate('stripe')).toBe('stays');
    expect(none.decideCaptureFails('stripe')).toBe(false);
  });
});
