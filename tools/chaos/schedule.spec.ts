import { FAULT_KINDS } from './options';
import { KILLABLE_SERVICES, buildSchedule } from './schedule';

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
  });
});
