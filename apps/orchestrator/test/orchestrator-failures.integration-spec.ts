import './support/cockatiel-for-jest'; // first: the app under test loads cockatiel
import { waitFor } from '@payflow/platform/testing';
import { ProviderBreakers } from '../src/breakers/provider-breakers';
import { OrchestratorFixture, newMerchant } from './orchestrator-fixture';

/**
 * PSP failures, injected through the simulator's fault API. The suite's settings are short so it
 * runs in seconds: two indeterminate calls make an attempt unknown, an unknown authorization is
 * cancelled by reference after 4 s, and Stripe's breaker opens after 3 consecutive failures for 1.5 s.
 */
describe('orchestrator: PSP failures', () => {
  const fx = new OrchestratorFixture();

  beforeAll(() =>
    fx.start({
      INDETERMINATE_MAX_TRIES: '2',
      UNKNOWN_OUTCOME_DEADLINE_MS: '4000',
      PSP_NOTIFICATION_DEADLINE_MS: '60000',
      BREAKER_STRIPE_THRESHOLD: '3',
      BREAKER_STRIPE_HALF_OPEN_AFTER_MS: '1500',
      BREAKER_ADYEN_THRESHOLD: '100',
    }),
  );
  afterAll(() => fx.stop());
  afterEach(async () => {
    await fx.clearFaults('stripe');
    await fx.clearFaults('adyen');
  });

  it('fails an authorization over to the next PSP when the first surely did nothing (429)', async () => {
    await fx.faults('stripe', { rate_limit: 1, limit: 1 });
    const intent = fx.intent(newMerchant());
    await fx.requestAuthorization(intent);
    const authorized = await fx.waitForResult(intent.id, 'payment.authorized');
    expect(authorized.event.data.provider).toBe('adyen');

    const [first, second] = await fx.attempts(intent.id);
    expect(first).toMatchObject({
      provider: 'stripe',
      route_index: 0,
      status: 'failed',
      code: 'rate_limited',
    });
    expect(second).toMatchObject({ provider: 'adyen', route_index: 1, status: 'succeeded' });
    expect(second.idempotency_key).not.toBe(first.idempotency_key);
    expect(authorized.event.data.attempt_id).toBe(second.id);
    expect((await fx.charges('stripe', first.idempotency_key)).charges).toBe(0);
    expect((await fx.charges('adyen', second.idempotency_key)).charges).toBe(1);
    expect((await fx.results(intent.id)).map((r) => r.type)).toEqual(['payment.authorized']); // the superseded attempt says nothing
  });

  it('never fails over after an executed 5xx: retries the same PSP with the same key and gets the first outcome', async () => {
    // Adyen first, Stripe eligible for a failover that must not happen (Stripe's first request would
    // be the unconfirmed creation, whose failure moves no money and may fail over).
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen', 'stripe'] });
    await fx.faults('adyen', { error_5xx_executed: 1, limit: 1 });
    const intent = fx.intent(merchant, { currency: 'EUR' });
    await fx.requestAuthorization(intent);
    const authorized = await fx.waitForResult(intent.id, 'payment.authorized');
    expect(authorized.event.data.provider).toBe('adyen');

    const attempts = await fx.attempts(intent.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ provider: 'adyen', status: 'succeeded', try_no: 2 });
    // Executed once, answered once more from the PSP's idempotency store: no second charge.
    expect(await fx.charges('adyen', attempts[0].idempotency_key)).toMatchObject({ charges: 1, replays: 1 });
  });

  it('replays a timed-out call with the same key: the late first outcome is returned, nothing is charged twice', async () => {
    const intent = fx.intent(newMerchant(), { payment_method: 'pm_card_timeout' });
    await fx.requestAuthorization(intent);
    await fx.waitForResult(intent.id, 'payment.authorized');
    const [attempt] = await fx.attempts(intent.id);
    expect(attempt).toMatchObject({ provider: 'stripe', status: 'succeeded' });
    expect(attempt.try_no).toBeGreaterThanOrEqual(2);
    expect((await fx.charges('stripe', attempt.idempotency_key)).charges).toBe(1);
  });

  it('keeps an attempt unknown while every call times out, and settles it by the webhook — a capture report first', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    await fx.faults('adyen', { timeout: 1 });
    const intent = fx.intent(merchant, { currency: 'EUR', capture_method: 'automatic' });
    await fx.requestAuthorization(intent, { captureMethod: 'automatic' });

    const unknown = await fx.waitForAttempt(
      intent.id,
      (a) => a.status === 'unknown',
      'the attempt to be unknown',
    );
    expect(unknown.provider).toBe('adyen');
    expect(await fx.results(intent.id)).toEqual([]); // the intent stays authorizing: nothing is guessed

    // Adyen executed it: its AUTHORISATION webhook went out. The capture report (built from it) comes first.
    const authorization = await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'authorization');
    expect(authorization).toMatchObject({ success: true, attempt_id: unknown.id });
    await fx.publishNotification(merchant, {
      ...authorization,
      kind: 'capture',
      psp_event_id: `CAPTURE:${authorization.psp_reference}`,
    });
    await fx.waitForResult(intent.id, 'payment.captured');
    await fx.publishNotification(merchant, authorization);
    await waitFor(async () => (await fx.notificationsOf(intent.id)).length === 2, {
      what: 'both notifications decided',
    });

    expect((await fx.results(intent.id)).map((r) => r.type)).toEqual([
      'payment.authorized',
      'payment.captured',
    ]);
    expect(await fx.attempts(intent.id)).toEqual([
      expect.objectContaining({ status: 'succeeded', psp_reference: authorization.psp_reference }),
    ]);
    expect((await fx.notificationsOf(intent.id)).map((n) => [n.kind, n.status])).toEqual([
      ['capture', 'applied'],
      ['authorization', 'ignored'],
    ]);
    expect((await fx.charges('adyen', unknown.idempotency_key)).charges).toBe(1);
  });

  it('cancels an Adyen authorization unresolved at the deadline by its reference (technical cancel), and only then fails it; no hold is left', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    await fx.faults('adyen', { timeout: 1 });
    const intent = fx.intent(merchant, { currency: 'EUR' });
    await fx.requestAuthorization(intent);

    const resolving = await fx.waitForAttempt(
      intent.id,
      (a) => a.resolution === 'deadline_cancel',
      'the deadline cancel to start',
      20_000,
    );
    expect(resolving).toMatchObject({ operation: 'authorize', status: 'unknown', psp_reference: null });
    expect(await fx.results(intent.id)).toEqual([]); // not failed before the PSP's word
    await fx.clearFaults('adyen');

    const cancel = await fx.waitForAttempt(
      intent.id,
      (a) => a.compensation === 'deadline_cancel' && a.awaiting_notification_since !== null,
      'the technical cancel to be accepted',
    );
    expect(cancel).toMatchObject({
      operation: 'cancel',
      compensates_attempt_id: resolving.id,
      psp_reference: null,
    });
    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.eventType === 'TECHNICAL_CANCEL'),
    );

    const failed = await fx.waitForResult(intent.id, 'payment.authorization_failed');
    expect(failed.event.data).toMatchObject({
      provider: 'adyen',
      code: 'payment_outcome_unknown',
      error_type: 'api_error',
    });
    expect((await fx.heldPayments(intent.id)).map((p) => [p.status, p.amount_held, p.net_charge])).toEqual([
      ['canceled', 0, 0],
    ]);

    // Adyen's AUTHORISATION comes late: the cancel already released it — nothing more to undo.
    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'authorization'),
    );
    await waitFor(
      async () =>
        (await fx.notificationsOf(intent.id)).some(
          (n) => n.kind === 'authorization' && n.status !== 'pending',
        ),
      { what: 'the late report decided' },
    );
    expect((await fx.results(intent.id)).map((r) => r.type)).toEqual(['payment.authorization_failed']);
    expect((await fx.attempts(intent.id)).filter((a) => a.compensating)).toHaveLength(1);
  });

  it("opens Stripe's breaker after repeated failures, routes around it, and closes it after a successful half-open probe", async () => {
    const breakers = fx.app.get(ProviderBreakers);
    expect(breakers.state('stripe')).toBe('closed');
    await fx.faults('stripe', { error_5xx_not_executed: 1 });
    for (let i = 0; i < 3; i++) {
      const intent = fx.intent(newMerchant());
      await fx.requestAuthorization(intent);
      expect((await fx.waitForResult(intent.id, 'payment.authorized')).event.data.provider).toBe('adyen');
    }
    expect(breakers.state('stripe')).toBe('open');
    expect(await fx.metric('circuit_breaker_state', { provider: 'stripe' })).toBe(2);

    // Open: routing skips Stripe at once (no failed call first).
    const skipped = fx.intent(newMerchant());
    await fx.requestAuthorization(skipped);
    expect((await fx.waitForResult(skipped.id, 'payment.authorized')).event.data.provider).toBe('adyen');
    const [direct] = await fx.attempts(skipped.id);
    expect(direct).toMatchObject({ provider: 'adyen', route_index: 0 });

    // Stripe recovers; once the breaker allows a probe, the next authorization goes to Stripe and closes it.
    await fx.clearFaults('stripe');
    await waitFor(() => breakers.isAvailable('stripe'), { what: 'the Stripe breaker to allow a probe' });
    const probe = fx.intent(newMerchant());
    await fx.requestAuthorization(probe);
    expect((await fx.waitForResult(probe.id, 'payment.authorized')).event.data.provider).toBe('stripe');
    expect(breakers.state('stripe')).toBe('closed');
    expect(await fx.metric('circuit_breaker_state', { provider: 'stripe' })).toBe(0);
    expect(
      await fx.metric('psp_calls_total', { provider: 'stripe', outcome: 'not_executed' }),
    ).toBeGreaterThanOrEqual(3);
  });
});
