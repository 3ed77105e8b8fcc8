import './support/cockatiel-for-jest'; // first: the app under test loads cockatiel
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { adminDatabaseUrl, waitFor } from '@payflow/platform/testing';
import { ProviderBreakers } from '../src/breakers/provider-breakers';
import { OrchestratorFixture, newMerchant, type AttemptRow } from './orchestrator-fixture';

/**
 * Lease loss (docs/orchestrator.md): the simulator executes an authorization, then the worker's
 * second transaction fails — as if the worker died after the call — so no outcome is recorded and
 * the lease lapses. The next claim must treat the attempt as maybe executed: a 429 or an open
 * breaker then never fails it over to the other PSP under a new key (a second charge); it is
 * retried on the same PSP with the same key, and settles once the PSP answers.
 *
 * The failure is a trigger (created with the administrative role) that refuses the first claim's
 * outcome for one intent: the real worker makes the real call and its real transaction fails.
 */
describe('orchestrator: a claim whose lease lapsed after the PSP executed', () => {
  const fx = new OrchestratorFixture();
  const admin = new Pool({ connectionString: adminDatabaseUrl(), max: 1 });
  const triggers: string[] = [];

  beforeAll(() =>
    fx.start({
      // A lapsed claim is reclaimed after PSP_TIMEOUT_MS (400) + this margin.
      WORKER_LEASE_MARGIN_MS: '1500',
      NOT_EXECUTED_MAX_TRIES: '4',
      WORKER_COUNT: '1',
      BREAKER_STRIPE_THRESHOLD: '100',
    }),
  );
  afterAll(async () => {
    for (const name of triggers) await admin.query(`DROP TRIGGER IF EXISTS ${name} ON orchestrator.attempts`);
    await admin.query(`DROP FUNCTION IF EXISTS orchestrator.test_refuse_first_outcome()`);
    await admin.end();
    await fx.stop();
  });
  afterEach(async () => {
    await fx.clearFaults('stripe');
    await fx.clearFaults('adyen');
  });

  /** The first claim's outcome for `intentId` (try 1, its lease being cleared) fails to commit. */
  async function refuseFirstOutcome(intentId: string): Promise<void> {
    await admin.query(`
      CREATE OR REPLACE FUNCTION orchestrator.test_refuse_first_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.intent_id = TG_ARGV[0] AND NEW.try_no = 1 AND OLD.lease_id IS NOT NULL AND NEW.lease_id IS NULL THEN
          RAISE EXCEPTION 'test: the worker died before recording its outcome';
        END IF;
        RETURN NEW;
      END $$`);
    const name = `refuse_outcome_${randomBytes(4).toString('hex')}`;
    triggers.push(name);
    await admin.query(
      `CREATE TRIGGER ${name} BEFORE UPDATE ON orchestrator.attempts
         FOR EACH ROW EXECUTE FUNCTION orchestrator.test_refuse_first_outcome('${intentId}')`,
    );
  }

  /** Requests an authorization routed to Stripe (Adyen eligible as failover) and waits until Stripe charged it. */
  async function authorizationExecutedButNotRecorded(): Promise<{ intentId: string; merchant: string }> {
    const merchant = newMerchant();
    const intent = fx.intent(merchant);
    await refuseFirstOutcome(intent.id);
    await fx.requestAuthorization(intent);
    await fx.waitForAttempt(intent.id, () => true, 'the attempt to be recorded');
    // The call ran at the PSP; its outcome is about to be refused by the trigger.
    await waitForCharge(intent.id);
    return { intentId: intent.id, merchant };
  }

  async function waitForCharge(intentId: string): Promise<void> {
    await waitFor(async () => (await fx.chargesForIntent(intentId)) === 1, {
      what: 'Stripe to execute the authorization',
      intervalMs: 10,
    });
  }

  async function expectOneAttemptOnStripe(intentId: string): Promise<AttemptRow> {
    const attempts = await fx.attempts(intentId);
    expect(attempts.map((a) => [a.provider, a.route_index])).toEqual([['stripe', 0]]);
    return attempts[0];
  }

  it('meets a 429 after the reclaim: no failover, the same key after the fault clears, one charge across both PSPs', async () => {
    const { intentId } = await authorizationExecutedButNotRecorded();
    await fx.faults('stripe', { rate_limit: 1 });

    const rateLimited = await fx.waitForAttempt(
      intentId,
      (a) => a.lapsed_claims === 1 && a.code === 'rate_limited' && a.try_no >= 3,
      'the reclaimed attempt to meet 429s',
    );
    expect(rateLimited).toMatchObject({
      provider: 'stripe',
      maybe_executed: true,
      error_class: 'not_executed',
    });
    expect(['pending', 'unknown']).toContain(rateLimited.status);
    await expectOneAttemptOnStripe(intentId);
    expect(await fx.results(intentId)).toEqual([]);

    await fx.clearFaults('stripe');
    const authorized = await fx.waitForResult(intentId, 'payment.authorized');
    const attempt = await expectOneAttemptOnStripe(intentId);
    expect(attempt).toMatchObject({ status: 'succeeded', maybe_executed: true, lapsed_claims: 1 });
    expect(authorized.event.data).toMatchObject({ provider: 'stripe', attempt_id: attempt.id });
    // The replay under the same key returned the first outcome: executed once, never charged again.
    const byKey = await fx.charges('stripe', attempt.idempotency_key);
    expect(byKey.charges).toBe(1);
    expect(byKey.replays).toBeGreaterThanOrEqual(1);
    expect(await fx.chargesForIntent(intentId)).toBe(1);
    expect(
      await fx.metric('payment_attempts_total', { operation: 'authorize', outcome: 'lease_lapsed' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('meets an open breaker after the reclaim: no failover either, and settles on the same PSP once it closes', async () => {
    const { intentId } = await authorizationExecutedButNotRecorded();
    const isolation = fx.app.get(ProviderBreakers).of('stripe').policy.isolate();
    try {
      const refused = await fx.waitForAttempt(
        intentId,
        (a) => a.lapsed_claims === 1 && a.error_class === 'breaker_open',
        'the reclaimed attempt to be refused by the open breaker',
      );
      expect(refused).toMatchObject({ provider: 'stripe', maybe_executed: true });
      await expectOneAttemptOnStripe(intentId);
      expect(await fx.results(intentId)).toEqual([]);
    } finally {
      isolation.dispose();
    }

    const authorized = await fx.waitForResult(intentId, 'payment.authorized');
    const attempt = await expectOneAttemptOnStripe(intentId);
    expect(authorized.event.data).toMatchObject({ provider: 'stripe', attempt_id: attempt.id });
    expect((await fx.charges('stripe', attempt.idempotency_key)).charges).toBe(1);
    expect(await fx.chargesForIntent(intentId)).toBe(1);
  });
});
