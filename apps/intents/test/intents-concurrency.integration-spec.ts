import { waitFor } from '@payflow/platform/testing';
import { IntentsFixture, fingerprintOf, newKey, newMerchant } from './intents-fixture';

describe('intents: concurrent transitions and durable idempotency', () => {
  const fx = new IntentsFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  describe('row lock + version check: of conflicting concurrent calls exactly one wins', () => {
    it('10 concurrent captures of one intent: one 200/202, nine 409 invalid_state_transition', async () => {
      const merchant = newMerchant();
      const intent = await fx.authorized(merchant);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => fx.post(`/${intent.id}/capture`, merchant)),
      );
      const winners = answers.filter((a) => a.status === 200 || a.status === 202);
      const refused = answers.filter((a) => a.status === 409);
      expect(winners).toHaveLength(1);
      expect(refused).toHaveLength(9);
      // Each loser waited for the winner's row lock and was refused by the table on the state the
      // winner committed, not by the version check (which only a missing lock would reach).
      for (const answer of refused) {
        expect(answer.body.error).toMatchObject({
          type: 'invalid_request_error',
          code: 'invalid_state_transition',
          message: 'Cannot capture a payment intent in status capturing',
        });
      }
      expect((await fx.history(intent.id)).filter((h) => h.trigger === 'capture')).toHaveLength(1);
      expect(
        (await fx.outbox(intent.id)).filter((e) => e.type === 'payment_intent.capture_requested'),
      ).toHaveLength(1);
    });

    it('10 concurrent partial refunds of 3,000 on a 10,000 capture: exactly 3 succeed, and settle to 9,000', async () => {
      const merchant = newMerchant();
      const intent = await fx.captured(merchant);
      expect(intent).toMatchObject({ amount_received: 10_000, status: 'captured' });
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => fx.post(`/${intent.id}/refund`, merchant, { amount: 3_000 })),
      );
      const accepted = answers.filter((a) => a.status === 200);
      expect(accepted).toHaveLength(3);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        expect(answer.status).toBe(409);
        expect(answer.body.error).toMatchObject({
          code: 'invalid_state_transition',
          message: 'Cannot refund this payment intent: the amount exceeds what is left to refund',
        });
      }
      expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
        status: 'captured',
        amount_refunded: 9_000,
      });
      expect(await fx.count(`refunds WHERE payment_intent_id = $1 AND status = 'pending'`, [intent.id])).toBe(
        3,
      );

      await fx.publish(
        ...accepted.map((a) =>
          fx.result('payment.refunded', intent, { amount: 3_000, refund_id: a.body.id }),
        ),
      );
      await waitFor(
        async () =>
          (await fx.count(`refunds WHERE payment_intent_id = $1 AND status = 'succeeded'`, [intent.id])) ===
          3,
      );
      expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
        status: 'partially_refunded',
        amount_refunded: 9_000,
      });
      expect((await fx.post(`/${intent.id}/refund`, merchant, { amount: 1_001 })).status).toBe(409);
      expect((await fx.post(`/${intent.id}/refund`, merchant, { amount: 1_000 })).status).toBe(200);
      expect((await fx.post(`/${intent.id}/refund`, merchant)).status).toBe(409); // nothing left to refund
    });
  });

  describe('durable idempotency (DESIGN.md): (merchant, key) + fingerprint + stored answer', () => {
    it('replays the stored answer with Idempotent-Replayed, and refuses the key for another request with 422', async () => {
      const merchant = newMerchant();
      const key = newKey();
      const body = { amount: 2_500, currency: 'usd' };
      const headers = {
        'idempotency-key': key,
        'x-idempotency-fingerprint': fingerprintOf(
          'POST /v1/payment_intents {"amount":2500,"currency":"usd"}',
        ),
      };
      const first = await fx.post('', merchant, body, headers);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const before = await fx.snapshot(merchant);

      const again = await fx.post('', merchant, body, headers);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');

      const different = await fx.post(
        '',
        merchant,
        { ...body, amount: 2_600 },
        { ...headers, 'x-idempotency-fingerprint': fingerprintOf('another body') },
      );
      expect(different.status).toBe(422);
      expect(different.body.error).toMatchObject({ type: 'idempotency_error' });
      expect(await fx.snapshot(merchant)).toEqual(before);
    });

    it('scopes keys per merchant', async () => {
      const key = newKey();
      const headers = { 'idempotency-key': key, 'x-idempotency-fingerprint': fingerprintOf('same request') };
      const a = await fx.post('', newMerchant(), { amount: 100, currency: 'USD' }, headers);
      const b = await fx.post('', newMerchant(), { amount: 100, currency: 'USD' }, headers);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers.get('idempotent-replayed')).toBeNull();
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('with Redis flushed the same request reaches intents again and gets the first answer: nothing happens twice', async () => {
      const merchant = newMerchant();
      const intent = await fx.authorized(merchant);
      const headers = {
        'idempotency-key': newKey(),
        'x-idempotency-fingerprint': fingerprintOf(`capture ${intent.id}`),
      };
      const first = await fx.post(`/${intent.id}/capture`, merchant, { amount: 4_000 }, headers);
      expect(first.status).toBe(202); // nobody answers for the orchestrator here
      const history = (await fx.history(intent.id)).length;
      const outbox = (await fx.outbox(intent.id)).length;

      // The gateway lost its Redis copy and forwards the retry: intents replays its stored answer.
      const retry = await fx.post(`/${intent.id}/capture`, merchant, { amount: 4_000 }, headers);
      expect(retry.status).toBe(202);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect((await fx.history(intent.id)).length).toBe(history);
      expect((await fx.outbox(intent.id)).length).toBe(outbox);

      // Still the same answer after the capture completed, rather than a 409 for capturing twice.
      await fx.publish(fx.result('payment.captured', intent, { amount: 4_000 }));
      await fx.waitForStatus(intent.id, 'captured');
      const later = await fx.post(`/${intent.id}/capture`, merchant, { amount: 4_000 }, headers);
      expect(later).toMatchObject({ status: 202, body: first.body });
      expect(
        (await fx.outbox(intent.id)).filter((e) => e.type === 'payment_intent.capture_requested'),
      ).toHaveLength(1);
    });

    it('stores the final answer of a waited call (200) and the refusal of the state machine (409)', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant);
      const headers = {
        'idempotency-key': newKey(),
        'x-idempotency-fingerprint': fingerprintOf(`authorize ${intent.id}`),
      };
      const pending = fx.post(`/${intent.id}/authorize`, merchant, {}, headers);
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.applyThroughConsumer(fx.result('payment.authorized', intent));
      const first = await pending;
      expect(first).toMatchObject({ status: 200, body: { status: 'authorized' } });
      const replay = await fx.post(`/${intent.id}/authorize`, merchant, {}, headers);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);

      const refusedHeaders = {
        'idempotency-key': newKey(),
        'x-idempotency-fingerprint': fingerprintOf(`refund ${intent.id}`),
      };
      const refused = await fx.post(`/${intent.id}/refund`, merchant, {}, refusedHeaders);
      expect(refused.status).toBe(409);
      const refusedAgain = await fx.post(`/${intent.id}/refund`, merchant, {}, refusedHeaders);
      expect(refusedAgain.status).toBe(409);
      const { request_id: firstId, ...firstError } = refused.body.error;
      const { request_id: againId, ...againError } = refusedAgain.body.error;
      expect(againError).toEqual(firstError);
      expect(againId).toEqual(expect.stringMatching(/^req_/));
      expect(againId).not.toBe(firstId);
      expect(refusedAgain.headers.get('idempotent-replayed')).toBe('true');
      expect(await fx.count(`refunds WHERE payment_intent_id = $1`, [intent.id])).toBe(0);
    });

    it('concurrent requests with one key: one creates, the others replay it or get 409 idempotency_error, never a 5xx', async () => {
      const merchant = newMerchant();
      const headers = { 'idempotency-key': newKey(), 'x-idempotency-fingerprint': fingerprintOf('burst') };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fx.post('', merchant, { amount: 700, currency: 'EUR' }, headers)),
      );
      for (const answer of answers) expect([201, 409]).toContain(answer.status);
      for (const answer of answers.filter((a) => a.status === 409))
        expect(answer.body.error.type).toBe('idempotency_error');
      const created = answers.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
      expect((await fx.snapshot(merchant)).intents).toBe(1);
    });

    it('computes the fingerprint itself when the caller sends none', async () => {
      const merchant = newMerchant();
      const headers = { 'idempotency-key': newKey() };
      const first = await fx.post('', merchant, { amount: 900, currency: 'GBP' }, headers);
      const same = await fx.post('', merchant, { currency: 'GBP', amount: 900 }, headers); // key order does not matter
      expect(same).toMatchObject({ status: 201, body: first.body });
      expect((await fx.post('', merchant, { amount: 901, currency: 'GBP' }, headers)).status).toBe(422);
    });
  });
});
