import { FAULT_KINDS, PSP_FAULT_KINDS } from './options';
import { randomStream } from './prng';
import { PSP_TIMINGS } from './psp-settings';
import {
  BILLING_KILLABLE_SERVICES,
  KILLABLE_SERVICES,
  buildSchedule,
  lastWordSpec,
  type FaultEvent,
} from './schedule';

describe('the seeded fault schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(buildSchedule(3, FAULT_KINDS, 2000, false)).toEqual(buildSchedule(3, FAULT_KINDS, 2000, false));
    expect(buildSchedule(4, FAULT_KINDS, 2000, false)).not.toEqual(
      buildSchedule(3, FAULT_KINDS, 2000, false),
    );
  });

  it('in short mode has exactly one fault of each kind', () => {
    const schedule = buildSchedule(1, FAULT_KINDS, 300, true);
    expect(schedule.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('kills each service in turn in a full run, never the simulator', () => {
    const kills = buildSchedule(1, ['kill'], 2000, false);
    expect(kills.map((f) => (f.kind === 'kill' ? f.service : '')).sort()).toEqual(
      [...KILLABLE_SERVICES].sort(),
    );
  });

  it('stops Postgres for 20 to 40 s, between 5 % and 85 % of the workload, in firing order', () => {
    for (let seed = 0; seed < 50; seed++) {
      const schedule = buildSchedule(seed, FAULT_KINDS, 1000, false);
      for (const fault of schedule) {
        expect(fault.atPayment).toBeGreaterThanOrEqual(50);
        expect(fault.atPayment).toBeLessThanOrEqual(850);
        if (fault.kind === 'postgres') {
          expect(fault.durationMs).toBeGreaterThanOrEqual(20_000);
          expect(fault.durationMs).toBeLessThanOrEqual(40_000);
        }
      }
      expect(schedule.map((f) => f.atPayment)).toEqual(
        [...schedule.map((f) => f.atPayment)].sort((a, b) => a - b),
      );
    }
  });

  it('repeats the outages once per 5,000 payments', () => {
    expect(buildSchedule(1, ['postgres', 'kafka'], 10_000, false)).toHaveLength(4);
  });

  it('injects nothing with no fault kinds', () => {
    expect(buildSchedule(1, [], 2000, false)).toEqual([]);
    expect(buildSchedule(1, [], 2000, false, [], true)).toEqual([]);
  });

  it('with the billing workload also kills billing and dunning, leaving the rest of the schedule as it was', () => {
    const kills = (schedule: FaultEvent[]) =>
      schedule.flatMap((f) => (f.kind === 'kill' ? [f.service as string] : []));
    for (const seed of [1, 2, 3]) {
      const without = buildSchedule(seed, FAULT_KINDS, 2000, false);
      const withBilling = buildSchedule(seed, FAULT_KINDS, 2000, false, [], true);
      const added = withBilling.filter((f) => f.kind === 'kill' && f.service.match(/billing|dunning/));
      expect(withBilling.filter((f) => !added.includes(f))).toEqual(without);
      expect(kills(added).sort()).toEqual([...BILLING_KILLABLE_SERVICES]);
      for (const fault of added) {
        expect(fault.atPayment).toBeGreaterThanOrEqual(400);
        expect(fault.atPayment).toBeLessThanOrEqual(1600);
      }
      const short = buildSchedule(seed, FAULT_KINDS, 300, true, [], true);
      expect(kills(short)).toHaveLength(2);
      expect(kills(short).filter((s) => s === 'billing' || s === 'dunning')).toHaveLength(1);
    }
    expect(kills(buildSchedule(1, ['postgres'], 2000, false, [], true))).toEqual([]);
  });
});

describe('the PSP-side fault windows (--psp-faults)', () => {
  const windows = (schedule: FaultEvent[]) =>
    schedule.flatMap((f) => (f.kind === 'psp_side' ? [`${f.provider} ${f.window}`] : [])).sort();
  const specOf = (spec: string) =>
    Object.fromEntries(spec.split(',').map((part) => [part.split('=')[0], Number(part.split('=')[1])]));

  it("leave the rest of a seed's schedule as it was", () => {
    for (const seed of [1, 2, 3]) {
      const without = buildSchedule(seed, FAULT_KINDS, 2000, false);
      const withPsp = buildSchedule(seed, FAULT_KINDS, 2000, false, PSP_FAULT_KINDS);
      expect(withPsp.filter((f) => f.kind !== 'psp_side')).toEqual(without);
      expect(windows(without)).toEqual([]);
    }
  });

  it('in a short run: both PSPs once, webhook_drop on Stripe only', () => {
    expect(windows(buildSchedule(1, [], 300, true, PSP_FAULT_KINDS))).toEqual([
      'adyen last_word',
      'adyen timeout',
      'stripe last_word',
      'stripe timeout',
      'stripe webhook_drop',
    ]);
  });

  it('repeat once per 5,000 payments, within 5 % to 85 % of the workload', () => {
    const schedule = buildSchedule(1, [], 10_000, false, PSP_FAULT_KINDS);
    expect(schedule).toHaveLength(10);
    for (const fault of schedule) {
      expect(fault.atPayment).toBeGreaterThanOrEqual(500);
      expect(fault.atPayment).toBeLessThanOrEqual(8500);
    }
  });

  it('give each PSP only the faults it has, with the request faults summing to at most 1', () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const fault of buildSchedule(seed, [], 2000, false, PSP_FAULT_KINDS)) {
        if (fault.kind !== 'psp_side') continue;
        const spec = specOf(fault.spec);
        const keys = Object.keys(spec);
        if (fault.provider === 'stripe') {
          expect(keys).not.toContain('capture_failed');
          expect(keys).not.toContain('refund_reversed');
        } else {
          expect(keys).not.toContain('webhook_drop');
        }
        // Lost webhooks never share a window with failures after success (nothing would ever learn of one lost).
        if (keys.includes('webhook_drop')) expect(keys).toEqual(['webhook_drop']);
        const requests =
          (spec['error_5xx_saved'] ?? 0) + (spec['reset_after_execution'] ?? 0) + (spec['timeout'] ?? 0);
        expect(requests).toBeLessThanOrEqual(1);
        expect((spec['refund_failed'] ?? 0) + (spec['refund_reversed'] ?? 0)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('hold late webhooks past the notification deadline, and time out for longer than the unknown-outcome deadline', () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const fault of buildSchedule(seed, [], 2000, false, PSP_FAULT_KINDS)) {
        if (fault.kind !== 'psp_side') continue;
        const spec = specOf(fault.spec);
        if (fault.window === 'last_word') {
          expect(spec['webhook_late']).toBeGreaterThan(0);
          expect(spec['webhook_late_ms']).toBeGreaterThan(PSP_TIMINGS.notificationDeadlineMs);
        }
        if (fault.window === 'timeout') {
          expect(spec['timeout']).toBeGreaterThanOrEqual(0.5);
          expect(fault.durationMs).toBeGreaterThan(PSP_TIMINGS.unknownOutcomeDeadlineMs);
        }
      }
    }
  });

  it('set only the faults asked for', () => {
    const schedule = buildSchedule(4, [], 2000, false, ['capture_failed']);
    expect(windows(schedule)).toEqual(['adyen last_word']);
    expect(lastWordSpec('stripe', ['capture_failed', 'refund_reversed'], randomStream(1, 'x'))).toBeNull();
    expect(buildSchedule(4, [], 2000, false, [])).toEqual([]);
  });
});
