import { TestClock } from '@payflow/platform/clock';
import { validateEvent } from '@payflow/contracts';
import { AuthorizationExpiry } from '../src/expiry/authorization-expiry';
import { IntentsFixture, newMerchant } from './intents-fixture';

const DAY_MS = 86_400_000;

describe('intents: authorizations expire after AUTHORIZATION_TTL (TestClock, no waiting)', () => {
  const fx = new IntentsFixture();
  // In the past of every real clock: intents other suites authorized (expiring a week after the
  // real now) are never due at this clock's times, so each pass sees only this file's intents.
  const clock = new TestClock(new Date('2001-03-01T10:00:00Z'));
  let expiry: AuthorizationExpiry;

  beforeAll(async () => {
    // Far-off schedule: only the test's explicit passes run.
    await fx.start({ AUTHORIZATION_TTL: '168h', EXPIRY_INTERVAL_MS: '3600000' }, clock);
    expiry = fx.app.get(AuthorizationExpiry);
  });
  afterAll(() => fx.stop());

  it('voids an authorization past its TTL: canceling with cancel_requested reason expired, then canceled', async () => {
    const merchant = newMerchant();
    const intent = await fx.authorized(merchant);
    const { rows } = await fx.db.query(`SELECT authorization_expires_at FROM payment_intents WHERE id = $1`, [
      intent.id,
    ]);
    expect(rows[0].authorization_expires_at.toISOString()).toBe('2001-03-08T10:00:00.000Z');

    clock.advance(7 * DAY_MS - 1_000);
    const fresh = await fx.authorized(merchant); // authorized a day before the first expires
    await expiry.expireDue();
    expect(await fx.status(intent.id)).toBe('authorized');

    clock.advance(1_000);
    expect(await expiry.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await fx.status(intent.id)).toBe('canceling');
    expect(await fx.status(fresh.id)).toBe('authorized');
    const request = (await fx.outbox(intent.id)).find((e) => e.type === 'payment_intent.cancel_requested')!;
    expect(request.key).toBe(intent.id);
    expect(request.event.data).toMatchObject({
      provider: 'stripe',
      reason: 'expired',
      intent: { status: 'canceling' },
    });
    expect(validateEvent(request.event)).toMatchObject({ ok: true });
    await expiry.expireDue(); // nothing twice
    expect(
      (await fx.outbox(intent.id)).filter((e) => e.type === 'payment_intent.cancel_requested'),
    ).toHaveLength(1);

    // The orchestrator voids at the PSP and reports it.
    await fx.publish(fx.result('payment.canceled', intent));
    await fx.waitForStatus(intent.id, 'canceled');
    const canceled = (await fx.outbox(intent.id)).find((e) => e.type === 'payment_intent.canceled')!;
    expect(canceled.event.data).toMatchObject({
      reason: 'expired',
      intent: { status: 'canceled', amount_capturable: 0 },
    });
    expect(
      (await fx.history(intent.id)).slice(-2).map((h) => `${h.from_status}→${h.to_status}:${h.trigger}`),
    ).toEqual(['authorized→canceling:expire:authorization-expiry', 'canceling→canceled:cancel_succeeded']);
    // A capture after expiry is refused like any capture of a canceled intent.
    expect((await fx.post(`/${intent.id}/capture`, merchant)).status).toBe(409);
  });

  it('retries the void of an expired authorization an hour after it failed, not in a loop', async () => {
    const merchant = newMerchant();
    const intent = await fx.authorized(merchant);
    clock.advance(7 * DAY_MS);
    expect(await expiry.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await fx.status(intent.id)).toBe('canceling');

    await fx.publish(fx.result('payment.cancel_failed', intent, { code: 'void_failed' }));
    await fx.waitForStatus(intent.id, 'authorized');
    await expiry.expireDue();
    expect(await fx.status(intent.id)).toBe('authorized');
    clock.advance(3_600_000);
    expect(await expiry.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await fx.status(intent.id)).toBe('canceling');
    expect(
      (await fx.outbox(intent.id)).filter((e) => e.type === 'payment_intent.cancel_requested'),
    ).toHaveLength(2);
  });
});
