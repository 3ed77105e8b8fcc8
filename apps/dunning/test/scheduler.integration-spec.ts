import { DueWork } from '../src/scheduler/due-work';
import { DAY_MS, DunningFixture, type InvoiceRef, billing, newClock, newInvoiceRef, newMerchant } from './dunning-fixture';

const HOUR_MS = 3_600_000;
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

/**
 * Time: the wall clock's scheduler with two replicas racing for the same due retries (exactly one
 * `dunning.retry_due` per (invoice, attempt)), and test clocks synced by `test_clock.advanced`:
 * the clock's due retries in due order, then `dunning.clock_synced`, all on the clock's key.
 */
describe('dunning: scheduler and test clocks', () => {
  const a = new DunningFixture();
  const b = new DunningFixture(a.clock);

  beforeAll(async () => {
    await a.start();
    await b.start();
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  function begin(): Date {
    a.clock.advance(60 * DAY_MS);
    return a.clock.now();
  }

  async function retryDuesPerInvoice(refs: InvoiceRef[]): Promise<Record<string, number[]>> {
    const found: Record<string, number[]> = {};
    for (const ref of refs) {
      found[ref.invoice] = (await a.outbox({ invoice: ref.invoice, type: 'dunning.retry_due' })).map((e) => e.data.attempt);
    }
    return found;
  }

  it('two replicas racing over the same due retries publish exactly one retry_due per (invoice, attempt)', async () => {
    const t0 = begin();
    const refs = Array.from({ length: 40 }, () => newInvoiceRef());
    for (const ref of refs) await a.deliver(billing.failed(ref, { attempt: 1, at: t0 }));
    a.clock.set(plus(t0, DAY_MS));
    const passes = await Promise.all(
      [a, b, a, b].map((fx) => fx.get(DueWork).runWallDue(1_000)),
    );
    expect(passes.reduce((sum, pass) => sum + pass.retries, 0)).toBe(refs.length);
    expect(passes.every((pass) => pass.failed === 0)).toBe(true);
    expect(await retryDuesPerInvoice(refs)).toEqual(Object.fromEntries(refs.map((ref) => [ref.invoice, [2]])));
    const { rows } = await a.db.query(
      `SELECT count(*)::int AS n FROM retries WHERE invoice_id = ANY($1) AND status = 'issued'`,
      [refs.map((ref) => ref.invoice)],
    );
    expect(rows[0].n).toBe(refs.length);
  });

  it('a card change and the scheduler issuing the same due attempt at once: one retry_due', async () => {
    const t0 = begin();
    const refs = Array.from({ length: 10 }, () => newInvoiceRef());
    for (const ref of refs) await a.deliver(billing.failed(ref, { attempt: 1, at: t0 }));
    a.clock.set(plus(t0, DAY_MS));
    await Promise.all([
      ...refs.map((ref) => b.deliver(billing.cardChanged(ref, 'pm_card_mastercard', a.clock.now()))),
      a.get(DueWork).runWallDue(1_000),
      b.get(DueWork).runWallDue(1_000),
    ]);
    expect(await retryDuesPerInvoice(refs)).toEqual(Object.fromEntries(refs.map((ref) => [ref.invoice, [2]])));
  });

  describe('test clocks', () => {
    // Long before the wall clock: a wall-clock pass would find these retries due if it looked at clocks.
    const T0 = new Date('2024-01-01T00:00:00Z');

    function onClock(merchant: string, clock: string): InvoiceRef {
      return newInvoiceRef({ merchant, clock });
    }

    it("issues the clock's due retries in due order, then clock_synced, all keyed by the clock; the wall scheduler leaves them", async () => {
      begin();
      const merchant = newMerchant();
      const clock = newClock();
      await a.deliver(billing.clockAdvanced(merchant, clock, T0));
      const soft = onClock(merchant, clock);
      const technical = onClock(merchant, clock);
      const hard = onClock(merchant, clock);
      await a.deliver(billing.failed(soft, { attempt: 1, at: T0 }));
      await a.deliver(billing.failed(technical, { attempt: 1, at: T0, code: 'psp_unavailable', decline_code: null, network: null }));
      await a.deliver(billing.failed(hard, { attempt: 1, at: T0, decline_code: 'lost_card' }));
      const decided = await a.outbox({ key: clock, type: 'dunning.decided' });
      expect(decided.map((e) => [e.data.invoice, e.data.decision, e.data.due_at, e.data.test_clock])).toEqual([
        [soft.invoice, 'retry_scheduled', plus(T0, DAY_MS).toISOString(), clock],
        [technical.invoice, 'retry_scheduled', plus(T0, HOUR_MS).toISOString(), clock],
        [hard.invoice, 'wait_for_payment_method', plus(T0, 14 * DAY_MS).toISOString(), clock],
      ]);

      await a.schedulerPass();
      expect(await a.outbox({ key: clock, type: 'dunning.retry_due' })).toEqual([]);

      const before = (await a.outbox({ key: clock })).length;
      await a.deliver(billing.clockAdvanced(merchant, clock, plus(T0, DAY_MS)));
      const step = (await a.outbox({ key: clock })).slice(before);
      expect(step.map((e) => [e.type, e.data.invoice ?? e.data.frozen_time, e.data.clock_time])).toEqual([
        ['dunning.retry_due', technical.invoice, plus(T0, DAY_MS).toISOString()],
        ['dunning.retry_due', soft.invoice, plus(T0, DAY_MS).toISOString()],
        ['dunning.clock_synced', plus(T0, DAY_MS).toISOString(), undefined],
      ]);

      // The wait ends on the schedule's last day of the clock, in the step that reaches it.
      const middle = (await a.outbox({ key: clock })).length;
      await a.deliver(billing.clockAdvanced(merchant, clock, plus(T0, 13 * DAY_MS)));
      await a.deliver(billing.clockAdvanced(merchant, clock, plus(T0, 14 * DAY_MS)));
      expect((await a.outbox({ key: clock })).slice(middle).map((e) => `${e.type} ${e.data.frozen_time ?? e.data.invoice}`)).toEqual([
        `dunning.clock_synced ${plus(T0, 13 * DAY_MS).toISOString()}`,
        `dunning.decided ${hard.invoice}`,
        `dunning.exhausted ${hard.invoice}`,
        `dunning.clock_synced ${plus(T0, 14 * DAY_MS).toISOString()}`,
      ]);
    });

    it("a retry decided due at or before the clock's known time is issued at once", async () => {
      begin();
      const merchant = newMerchant();
      const clock = newClock();
      const ref = onClock(merchant, clock);
      await a.deliver(billing.clockAdvanced(merchant, clock, T0));
      await a.deliver(billing.failed(ref, { attempt: 1, at: T0, decline_code: 'stolen_card' }));
      await a.deliver(billing.clockAdvanced(merchant, clock, plus(T0, 3 * DAY_MS)));
      await a.deliver(billing.cardChanged(ref, 'pm_card_mastercard', plus(T0, 3 * DAY_MS)));
      const dues = await a.outbox({ key: clock, type: 'dunning.retry_due' });
      expect(dues.map((e) => [e.data.attempt, e.data.reason, e.data.clock_time])).toEqual([
        [2, 'new_payment_method', plus(T0, 3 * DAY_MS).toISOString()],
      ]);
    });

    it('failures decided while the clock is synced leave no retry due by the synced time unissued', async () => {
      begin();
      const merchant = newMerchant();
      const clock = newClock();
      await a.deliver(billing.clockAdvanced(merchant, clock, T0));
      const refs = Array.from({ length: 12 }, () => onClock(merchant, clock));
      // Technical failures at T0 are due an hour later; the clock moves two hours meanwhile.
      await Promise.all([
        ...refs.map((ref, i) =>
          (i % 2 ? a : b).deliver(billing.failed(ref, { attempt: 1, at: T0, code: 'psp_unavailable', decline_code: null, network: null })),
        ),
        b.deliver(billing.clockAdvanced(merchant, clock, plus(T0, 2 * HOUR_MS))),
      ]);
      const { rows } = await a.db.query(
        `SELECT r.invoice_id FROM retries r JOIN clocks k ON k.id = r.test_clock_id
          WHERE r.test_clock_id = $1 AND r.status = 'scheduled' AND r.due_at <= k.frozen_time`,
        [clock],
      );
      expect(rows).toEqual([]);
      const issuedOrPlanned = await a.db.query(`SELECT count(*)::int AS n FROM retries WHERE test_clock_id = $1`, [clock]);
      expect(issuedOrPlanned.rows[0].n).toBe(refs.length);
    });
  });
});
