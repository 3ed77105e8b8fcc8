import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { validateEvent } from '@payflow/contracts';
import { TestClock } from '@payflow/platform/clock';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { Tx } from '@payflow/platform/database';
import { waitFor } from '@payflow/platform/testing';
import { DataSource } from 'typeorm';
import { ScheduledWork, ScheduledWorkRow } from '../src/scheduler/scheduled-work';
import { CustomerTime } from '../src/test-clocks/customer-time';
import { TestClockAdvance } from '../src/test-clocks/test-clock-advance';
import { TestClockGates } from '../src/test-clocks/test-clock-gates';
import { testClockWaiting } from '../src/test-clocks/test-clock-metrics';
import { TestClocksFixture, newKey, newMerchant, seconds } from './test-clocks-fixture';

const KIND = 'clocktest.record';
const FAILING_KIND = 'clocktest.fails_once';

interface Run {
  subject: string;
  clock: string | null;
  due: string;
  now: string;
  /** The clock's frozen_time as the handler's transaction reads it (CustomerTime). */
  clockTime: string | null;
}

/** Every handler run, in order, across the app instances of this file (one process). */
const runs: Run[] = [];
/**
 * Clocks a test holds through a gate (the hook dunning will use): from the instant given on, the
 * clock waits there until the test deletes the entry.
 */
const held = new Map<string, string>();
/** Rows of FAILING_KIND that failed once already. */
const failedOnce = new Set<string>();

const iso = (value: Date | string) => new Date(value).toISOString();
const plusMonths = (date: Date, n: number) => {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d;
};

/** Registers this file's handlers and gate on an app before it starts. */
function wire(app: { get: <T>(type: new (...args: never[]) => T) => T }): void {
  const work = app.get(ScheduledWork);
  const time = app.get(CustomerTime);
  const record = async (tx: Tx, row: ScheduledWorkRow, now: Date) => {
    runs.push({
      subject: row.subject_id,
      clock: row.test_clock_id,
      due: iso(row.due_at),
      now: iso(now),
      clockTime: row.test_clock_id ? iso(await time.nowForClock(tx, row.test_clock_id)) : null,
    });
    // A chain: each run schedules the next a month later (as a renewal schedules the next boundary).
    const match = /^chain:(\d+):/.exec(row.subject_id);
    if (match && Number(match[1]) > 1) {
      const rest = Number(match[1]) - 1;
      await work.schedule(tx, {
        kind: KIND,
        subject_id: row.subject_id.replace(/^chain:\d+:/, `chain:${rest}:`),
        test_clock_id: row.test_clock_id,
        due_at: plusMonths(new Date(row.due_at), 1),
      });
    }
  };
  work.register(KIND, record);
  work.register(FAILING_KIND, async (tx, row, now) => {
    if (!failedOnce.has(row.id)) {
      failedOnce.add(row.id);
      throw new Error('fails once (test)');
    }
    await record(tx, row, now);
  });
  app.get(TestClockGates).register({
    name: 'test-hold',
    waitingFor: async (_tx, clock) => {
      const from = held.get(clock.id);
      return from && clock.frozen_time >= new Date(from) ? [`held by test:${clock.id}`] : [];
    },
  });
}

describe('billing: test clocks, customer time and the advance saga', () => {
  const fx = new TestClocksFixture();
  // The platform (wall) clock stands still: only the test moves it, so nothing here depends on it.
  // It starts at the real time, since the outbox relay prunes published rows by it.
  const wall = new TestClock(new Date());
  let work: ScheduledWork;

  beforeAll(async () => {
    await fx.start({ clock: wall, env: { TEST_CLOCK_STEP_TIMEOUT_MS: '60000' }, configure: wire });
    work = fx.app.get(ScheduledWork);
  });
  afterAll(() => fx.stop());

  const schedule = (clockId: string | null, subject: string, dueAt: string, kind = KIND) =>
    fx.app
      .get(DataSource)
      .transaction((tx) =>
        work.schedule(tx, { kind, subject_id: subject, test_clock_id: clockId, due_at: new Date(dueAt) }),
      );
  const runsOf = (clockId: string) => runs.filter((run) => run.clock === clockId);
  const waitReady = (clockId: string) =>
    waitFor(async () => (await fx.clockRow(clockId)).status === 'ready', {
      what: `${clockId} ready`,
      timeoutMs: 60_000,
    });

  describe('API', () => {
    it('creates a clock (Unix seconds or ISO 8601), reads it, and lists newest first with pages', async () => {
      const merchant = newMerchant();
      const a = await fx.createClock(merchant, '2026-01-31T00:00:00Z', 'renewal rehearsal');
      expect(a).toEqual({
        id: expect.stringMatching(/^clock_[0-9a-f]{24}$/),
        object: 'test_clock',
        name: 'renewal rehearsal',
        frozen_time: '2026-01-31T00:00:00.000Z',
        status: 'ready',
        created: wall.now().toISOString(),
      });
      const b = await fx.call('POST', '/test_clocks', {
        merchant,
        body: { frozen_time: '2026-02-01T12:00:00Z' },
      });
      expect(b.status).toBe(201);
      expect(b.body).toMatchObject({ name: null, frozen_time: '2026-02-01T12:00:00.000Z' });
      const c = await fx.createClock(merchant, '2026-03-01T00:00:00Z');

      expect((await fx.call('GET', `/test_clocks/${a.id}`, { merchant })).body).toEqual(a);
      const page1 = await fx.call('GET', '/test_clocks?limit=2', { merchant });
      expect(page1.status).toBe(200);
      // Same created time (the wall clock stands still): newest first is by id then, descending.
      const ids = [a.id, b.body.id, c.id].sort().reverse();
      expect(page1.body).toEqual({
        object: 'list',
        data: expect.any(Array),
        has_more: true,
        url: '/v1/test_clocks',
      });
      expect(page1.body.data.map((clock: { id: string }) => clock.id)).toEqual(ids.slice(0, 2));
      const page2 = await fx.call('GET', `/test_clocks?limit=2&starting_after=${ids[1]}`, { merchant });
      expect(page2.body.data.map((clock: { id: string }) => clock.id)).toEqual([ids[2]]);
      expect(page2.body.has_more).toBe(false);
    });

    it('isolates merchants (404) and answers malformed ids and bad input as API.md says', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-31T00:00:00Z');
      const stranger = newMerchant();
      for (const [method, path, body] of [
        ['GET', `/test_clocks/${clock.id}`, undefined],
        ['POST', `/test_clocks/${clock.id}/advance`, { frozen_time: seconds('2026-03-01T00:00:00Z') }],
        ['DELETE', `/test_clocks/${clock.id}`, undefined],
      ] as const) {
        const answer = await fx.call(method, path, { merchant: stranger, body });
        expect(answer.status).toBe(404);
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
      }
      expect((await fx.call('GET', '/test_clocks', { merchant: stranger })).body.data).toEqual([]);
      expect((await fx.call('GET', '/test_clocks/clock_nope', { merchant })).status).toBe(404);
      expect((await fx.call('GET', '/test_clocks/cus_123', { merchant })).status).toBe(404);

      const before = await fx.db.query(`SELECT count(*)::int AS n FROM test_clocks WHERE merchant_id = $1`, [
        merchant,
      ]);
      for (const [body, param] of [
        [{}, 'frozen_time'],
        [{ frozen_time: 1.5 }, 'frozen_time'],
        [{ frozen_time: 'yesterday' }, 'frozen_time'],
        [{ frozen_time: -5 }, 'frozen_time'],
        [{ frozen_time: 1767225600, name: 7 }, 'name'],
        [{ frozen_time: 1767225600, name: 'x'.repeat(301) }, 'name'],
        [{ frozen_time: 1767225600, colour: 'red' }, 'colour'],
      ] as const) {
        const answer = await fx.call('POST', '/test_clocks', { merchant, body });
        expect(answer.status).toBe(400);
        expect(answer.body.error.param).toBe(param);
      }
      expect(
        (await fx.call('GET', '/test_clocks?starting_after=clock_unknown1', { merchant })).body.error,
      ).toMatchObject({
        param: 'starting_after',
      });
      expect((await fx.call('GET', '/test_clocks?limit=101', { merchant })).body.error).toMatchObject({
        param: 'limit',
      });
      const after = await fx.db.query(`SELECT count(*)::int AS n FROM test_clocks WHERE merchant_id = $1`, [
        merchant,
      ]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('refuses an advance to a time not later than the clock (400 frozen_time), changing nothing', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-31T00:00:00Z');
      for (const to of ['2026-01-31T00:00:00Z', '2026-01-30T23:59:59Z']) {
        const answer = await fx.advance(merchant, clock.id, to);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param: 'frozen_time' });
      }
      const bad = await fx.advance(merchant, clock.id, 'soon' as never);
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('frozen_time');
      expect(await fx.clockRow(clock.id)).toMatchObject({ status: 'ready', target_time: null, version: 0 });
    });

    it('advances: answers advancing at once, 409 while it advances, ready at the target with one event per step', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-31T00:00:00Z');
      held.set(clock.id, '2026-02-28T00:00:00Z'); // held at the target until the test lets it go
      const key = newKey();
      const answer = await fx.advance(merchant, clock.id, '2026-02-28T00:00:00Z');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: clock.id,
        status: 'advancing',
        frozen_time: '2026-01-31T00:00:00.000Z',
      });

      const again = await fx.call('POST', `/test_clocks/${clock.id}/advance`, {
        merchant,
        body: { frozen_time: seconds('2026-04-01T00:00:00Z') },
        headers: { 'Idempotency-Key': key },
      });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ type: 'invalid_request_error', code: 'test_clock_advancing' });
      // even a time the clock has passed: advancing is refused first
      expect((await fx.advance(merchant, clock.id, '2020-01-01T00:00:00Z')).status).toBe(409);

      // it moved to the target, and waits there for the gate, still advancing
      await waitFor(async () => (await fx.clockRow(clock.id)).version === 1, { what: 'first step' });
      expect(await fx.clockRow(clock.id)).toMatchObject({ status: 'advancing' });
      held.delete(clock.id);
      await waitReady(clock.id);
      const ready = await fx.call('GET', `/test_clocks/${clock.id}`, { merchant });
      expect(ready.body).toMatchObject({ status: 'ready', frozen_time: '2026-02-28T00:00:00.000Z' });

      const events = await fx.advancedEvents(clock.id);
      expect(events).toHaveLength(1);
      expect(events[0].key).toBe(clock.id);
      expect(validateEvent(events[0].event)).toMatchObject({ ok: true });
      expect(events[0].event).toMatchObject({
        type: 'test_clock.advanced',
        source: 'billing',
        aggregate_type: 'test_clock',
        aggregate_id: clock.id,
        aggregate_version: 1,
        merchant_id: merchant,
        data: {
          clock: clock.id,
          frozen_time: '2026-02-28T00:00:00.000Z',
          target_time: '2026-02-28T00:00:00.000Z',
        },
      });

      // The 409 stored nothing under its key: the same key works once the clock is ready.
      const later = await fx.call('POST', `/test_clocks/${clock.id}/advance`, {
        merchant,
        body: { frozen_time: seconds('2026-04-01T00:00:00Z') },
        headers: { 'Idempotency-Key': key },
      });
      expect(later.status).toBe(200);
      const replay = await fx.call('POST', `/test_clocks/${clock.id}/advance`, {
        merchant,
        body: { frozen_time: seconds('2026-04-01T00:00:00Z') },
        headers: { 'Idempotency-Key': key },
      });
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(later.body);
      await waitReady(clock.id);
    });

    it('deletes a clock: 404 from then on, a second delete too', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-31T00:00:00Z');
      const deleted = await fx.call('DELETE', `/test_clocks/${clock.id}`, { merchant });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ id: clock.id, object: 'test_clock', deleted: true });
      expect((await fx.call('GET', `/test_clocks/${clock.id}`, { merchant })).status).toBe(404);
      expect((await fx.call('DELETE', `/test_clocks/${clock.id}`, { merchant })).status).toBe(404);
      expect((await fx.advance(merchant, clock.id, '2027-01-01T00:00:00Z')).status).toBe(404);
      expect((await fx.call('GET', '/test_clocks', { merchant })).body.data).toEqual([]);
    });
  });

  describe('CustomerTime', () => {
    it("reads the customer's clock from the database, and the platform clock for a customer without one", async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-31T10:00:00Z');
      const onClock = await fx.insertCustomer(merchant, clock.id);
      const onWall = await fx.insertCustomer(merchant, null);
      const time = fx.app.get(CustomerTime);
      const db = fx.app.get(DataSource);
      expect(iso(await time.nowFor(db, onClock))).toBe('2026-01-31T10:00:00.000Z');
      expect(await time.clockOf(db, onClock)).toEqual({
        now: new Date('2026-01-31T10:00:00Z'),
        testClockId: clock.id,
      });
      expect(await time.nowFor(db, onWall)).toEqual(wall.now());
      expect(await time.clockOf(db, onWall)).toEqual({ now: wall.now(), testClockId: null });
      expect(await time.nowForClock(db, null)).toEqual(wall.now());
      await expect(time.nowFor(db, 'cus_doesnotexist')).rejects.toThrow(/does not exist/);

      expect((await fx.advance(merchant, clock.id, '2026-03-15T10:00:00Z')).status).toBe(200);
      await waitReady(clock.id);
      // another replica (a fresh connection, no process state) reads the same instant
      const { rows } = await fx.db.query(
        `SELECT t.frozen_time FROM customers c JOIN test_clocks t ON t.id = c.test_clock_id WHERE c.id = $1`,
        [onClock],
      );
      expect(iso(rows[0].frozen_time)).toBe('2026-03-15T10:00:00.000Z');
      expect(iso(await time.nowFor(db, onClock))).toBe('2026-03-15T10:00:00.000Z');
      expect(await time.nowFor(db, onWall)).toEqual(wall.now()); // the wall clock did not move
    });
  });

  describe('the advance saga', () => {
    it('stops at every due instant in order, runs work the handlers schedule on the way, and never passes the target', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-15T00:00:00Z');
      const other = await fx.createClock(merchant, '2026-01-15T00:00:00Z');
      const tag = randomBytes(4).toString('hex');
      // a renewal-like chain of 14 monthly runs from Feb 15, each with a "draft" an hour later
      await schedule(clock.id, `chain:14:${tag}`, '2026-02-15T00:00:00Z');
      await schedule(clock.id, `one-off:${tag}`, '2026-03-01T12:30:00Z');
      await schedule(clock.id, `after-target:${tag}`, '2027-06-01T00:00:00Z');
      await schedule(other.id, `other-clock:${tag}`, '2026-02-01T00:00:00Z');
      await schedule(null, `wall:${tag}`, '2026-02-01T00:00:00Z'); // in the wall clock's past: the wall poller's, not ours
      const wallBefore = wall.now();

      expect((await fx.advance(merchant, clock.id, '2027-03-16T00:00:00Z')).status).toBe(200);
      await waitReady(clock.id);

      const mine = runsOf(clock.id).filter((run) => run.subject.endsWith(tag));
      const expectedDue = [
        ...Array.from({ length: 14 }, (_, k) => iso(plusMonths(new Date('2026-02-15T00:00:00Z'), k))),
        '2026-03-01T12:30:00.000Z',
      ].sort();
      expect(mine.map((run) => run.due)).toEqual(expectedDue);
      // each ran at its own instant: the handler's time and the clock's time are its due time
      for (const run of mine) {
        expect(run.now).toBe(run.due);
        expect(run.clockTime).toBe(run.due);
      }
      const steps = (await fx.advancedEvents(clock.id)).map((e) => e.event);
      expect(steps.map((e) => e.data.frozen_time)).toEqual([...expectedDue, '2027-03-16T00:00:00.000Z']);
      expect(steps.map((e) => e.aggregate_version)).toEqual(steps.map((_e, i) => i + 1));
      expect(await fx.clockRow(clock.id)).toMatchObject({
        status: 'ready',
        target_time: null,
        version: steps.length,
      });
      expect(iso((await fx.clockRow(clock.id)).frozen_time)).toBe('2027-03-16T00:00:00.000Z');

      // the work after the target waits for a later advance; the other clock and the wall clock are untouched
      const open = await fx.db.query(
        `SELECT subject_id FROM scheduled_work WHERE done_at IS NULL AND subject_id LIKE $1 ORDER BY subject_id`,
        [`%${tag}`],
      );
      expect(open.rows.map((row) => row.subject_id).filter((s) => !s.startsWith('wall:'))).toEqual([
        `after-target:${tag}`,
        `other-clock:${tag}`,
      ]);
      expect(runsOf(other.id)).toEqual([]);
      expect(await fx.clockRow(other.id)).toMatchObject({ status: 'ready', version: 0 });
      expect(iso((await fx.clockRow(other.id)).frozen_time)).toBe('2026-01-15T00:00:00.000Z');
      expect(runs.some((run) => run.subject === `wall:${tag}` && run.clock !== null)).toBe(false);
      expect(wall.now()).toEqual(wallBefore);
    });

    it('holds the clock at an instant while a gate waits, and moves on only when released', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
      const tag = randomBytes(4).toString('hex');
      await schedule(clock.id, `first:${tag}`, '2026-01-10T00:00:00Z');
      await schedule(clock.id, `second:${tag}`, '2026-01-20T00:00:00Z');
      held.set(clock.id, '2026-01-10T00:00:00Z');
      await fx.advance(merchant, clock.id, '2026-02-01T00:00:00Z');
      // the first step moves to Jan 10 and runs its work; then the gate holds it there
      await waitFor(async () => runsOf(clock.id).some((run) => run.subject === `first:${tag}`), {
        what: 'first run',
      });
      const advance = fx.app.get(TestClockAdvance);
      // (the runner may hold the row at that moment: a step then passes it by)
      const step = await waitFor(
        async () => {
          const outcome = await advance.step(clock.id);
          return outcome.kind === 'skipped' ? null : outcome;
        },
        { what: 'a step of our own' },
      );
      expect(step).toEqual({ kind: 'wait', reasons: [`held by test:${clock.id}`] });
      expect(iso((await fx.clockRow(clock.id)).frozen_time)).toBe('2026-01-10T00:00:00.000Z');
      expect(runsOf(clock.id).map((run) => run.subject)).toEqual([`first:${tag}`]);

      held.delete(clock.id);
      await waitReady(clock.id);
      expect(runsOf(clock.id).map((run) => run.subject)).toEqual([`first:${tag}`, `second:${tag}`]);
    });

    it('resumes a step a crash cut between the move and its work: the work due runs before the clock moves again', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
      const tag = randomBytes(4).toString('hex');
      await schedule(clock.id, `a:${tag}`, '2026-01-05T00:00:00Z');
      await schedule(clock.id, `b:${tag}`, '2026-01-06T00:00:00Z');
      await schedule(clock.id, `c:${tag}`, '2026-01-20T00:00:00Z');
      held.set(clock.id, '2026-01-05T00:00:00Z');
      await fx.advance(merchant, clock.id, '2026-02-01T00:00:00Z');
      await waitFor(async () => runsOf(clock.id).length === 1, { what: 'first run' });
      // What a process that died right after committing a move to Jan 8 leaves: the clock there,
      // b (due Jan 6) never run.
      await fx.db.query(
        `UPDATE test_clocks SET frozen_time = '2026-01-08T00:00:00Z', version = version + 1 WHERE id = $1`,
        [clock.id],
      );
      held.delete(clock.id);
      await waitReady(clock.id);
      expect(runsOf(clock.id).map((run) => [run.subject, run.now])).toEqual([
        [`a:${tag}`, '2026-01-05T00:00:00.000Z'],
        [`b:${tag}`, '2026-01-08T00:00:00.000Z'], // late, but before anything after it
        [`c:${tag}`, '2026-01-20T00:00:00.000Z'],
      ]);
    });

    it('is held by work that fails (it never passes it), counted in billing_test_clock_waiting past the timeout', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
      const tag = randomBytes(4).toString('hex');
      await schedule(clock.id, `flaky:${tag}`, '2026-01-05T00:00:00Z', FAILING_KIND);
      await schedule(clock.id, `later:${tag}`, '2026-01-06T00:00:00Z');
      await fx.advance(merchant, clock.id, '2026-01-10T00:00:00Z');
      await waitFor(
        async () =>
          (await fx.db.query(`SELECT attempts FROM scheduled_work WHERE subject_id = $1`, [`flaky:${tag}`]))
            .rows[0].attempts === 1,
        { what: 'the first failure' },
      );
      const advance = fx.app.get(TestClockAdvance);
      const outcome = await waitFor(
        async () => {
          const step = await advance.step(clock.id);
          return step.kind === 'skipped' ? null : step;
        },
        { what: 'a step of our own' },
      );
      expect(outcome).toMatchObject({ kind: 'run_due', done: 0, failed: 0 }); // backing off on the wall clock
      expect(iso((await fx.clockRow(clock.id)).frozen_time)).toBe('2026-01-05T00:00:00.000Z');
      expect(runsOf(clock.id)).toEqual([]);

      // Past TEST_CLOCK_STEP_TIMEOUT_MS (60 s) on the wall clock: counted, still waiting.
      expect(await advance.reportHeldClocks()).toBe(0);
      wall.advance(61_000); // also past the row's backoff (at most 1 s)
      expect(await advance.reportHeldClocks()).toBeGreaterThanOrEqual(1);
      expect((await testClockWaiting.get()).values[0].value).toBeGreaterThanOrEqual(1);

      await waitReady(clock.id);
      expect(runsOf(clock.id).map((run) => run.subject)).toEqual([`flaky:${tag}`, `later:${tag}`]);
      expect(await advance.reportHeldClocks()).toBe(0);
      expect((await testClockWaiting.get()).values[0].value).toBe(0);
    });

    it('a clock deleted while advancing stops where it is', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
      const tag = randomBytes(4).toString('hex');
      await schedule(clock.id, `x:${tag}`, '2026-01-05T00:00:00Z');
      await schedule(clock.id, `y:${tag}`, '2026-01-06T00:00:00Z');
      held.set(clock.id, '2026-01-05T00:00:00Z');
      await fx.advance(merchant, clock.id, '2026-02-01T00:00:00Z');
      await waitFor(async () => runsOf(clock.id).length === 1, { what: 'first run' });
      expect((await fx.call('DELETE', `/test_clocks/${clock.id}`, { merchant })).status).toBe(200);
      held.delete(clock.id);
      expect(await fx.app.get(TestClockAdvance).step(clock.id)).toEqual({ kind: 'skipped' });
      expect(await fx.clockRow(clock.id)).toMatchObject({ status: 'ready', target_time: null });
      expect(runsOf(clock.id).map((run) => run.subject)).toEqual([`x:${tag}`]);
    });
  });

  describe('two replicas', () => {
    it('step the same clocks without running an instant twice or out of order', async () => {
      const second = new TestClocksFixture();
      await second.start({ clock: wall, env: { TEST_CLOCK_STEP_TIMEOUT_MS: '60000' }, configure: wire });
      try {
        const merchant = newMerchant();
        const tag = randomBytes(4).toString('hex');
        const clocks = [
          await fx.createClock(merchant, '2026-01-01T00:00:00Z'),
          await fx.createClock(merchant, '2026-01-01T00:00:00Z'),
        ];
        for (const clock of clocks) {
          // two rows at each of 12 instants (a renewal and a draft's finalization due together)
          for (let day = 2; day <= 13; day++) {
            const at = `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`;
            await schedule(clock.id, `${clock.id}:p${day}a:${tag}`, at);
            await schedule(clock.id, `${clock.id}:p${day}b:${tag}`, at);
          }
        }
        // advanced through each replica's own API, both runners stepping both clocks
        expect((await fx.advance(merchant, clocks[0].id, '2026-02-01T00:00:00Z')).status).toBe(200);
        expect((await second.advance(merchant, clocks[1].id, '2026-02-01T00:00:00Z')).status).toBe(200);
        for (const clock of clocks) await waitReady(clock.id);

        for (const clock of clocks) {
          const mine = runsOf(clock.id).filter((run) => run.subject.endsWith(tag));
          expect(mine).toHaveLength(24);
          expect(new Set(mine.map((run) => run.subject)).size).toBe(24);
          for (const run of mine) expect(run.now).toBe(run.due);
          const dues = mine.map((run) => run.due);
          expect([...dues].sort()).toEqual(dues);
          const steps = (await fx.advancedEvents(clock.id)).map((e) => e.event);
          expect(steps.map((e) => e.aggregate_version)).toEqual(steps.map((_e, i) => i + 1));
          expect(steps.map((e) => e.data.frozen_time)).toEqual([
            ...Array.from(
              { length: 12 },
              (_, k) => `2026-01-${String(k + 2).padStart(2, '0')}T00:00:00.000Z`,
            ),
            '2026-02-01T00:00:00.000Z',
          ]);
        }
      } finally {
        await second.stop();
      }
    });
  });

  describe('a restart mid-advance', () => {
    it('is picked up by the next instance from the row, every instant once and in order', async () => {
      const merchant = newMerchant();
      const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
      const tag = randomBytes(4).toString('hex');
      for (const day of ['05', '10', '15', '20'])
        await schedule(clock.id, `r${day}:${tag}`, `2026-01-${day}T00:00:00Z`);
      held.set(clock.id, '2026-01-05T00:00:00Z');
      await fx.advance(merchant, clock.id, '2026-02-01T00:00:00Z');
      await waitFor(async () => runsOf(clock.id).length === 1, { what: 'first run' });

      await fx.stop(); // the instance goes away with the clock advancing, held at Jan 5
      const pool = new Pool({ connectionString: serviceDatabaseUrl('billing'), max: 1 });
      const { rows } = await pool.query(`SELECT status, frozen_time FROM test_clocks WHERE id = $1`, [
        clock.id,
      ]);
      await pool.end();
      expect({ status: rows[0].status, frozen_time: iso(rows[0].frozen_time) }).toEqual({
        status: 'advancing',
        frozen_time: '2026-01-05T00:00:00.000Z',
      });

      held.delete(clock.id);
      await fx.start({ clock: wall, env: { TEST_CLOCK_STEP_TIMEOUT_MS: '60000' }, configure: wire });
      work = fx.app.get(ScheduledWork);
      await waitReady(clock.id);
      expect(runsOf(clock.id).map((run) => [run.subject, run.now])).toEqual([
        [`r05:${tag}`, '2026-01-05T00:00:00.000Z'],
        [`r10:${tag}`, '2026-01-10T00:00:00.000Z'],
        [`r15:${tag}`, '2026-01-15T00:00:00.000Z'],
        [`r20:${tag}`, '2026-01-20T00:00:00.000Z'],
      ]);
      expect((await fx.advancedEvents(clock.id)).map((e) => e.event.data.frozen_time)).toEqual([
        '2026-01-05T00:00:00.000Z',
        '2026-01-10T00:00:00.000Z',
        '2026-01-15T00:00:00.000Z',
        '2026-01-20T00:00:00.000Z',
        '2026-02-01T00:00:00.000Z',
      ]);
    });
  });
});
