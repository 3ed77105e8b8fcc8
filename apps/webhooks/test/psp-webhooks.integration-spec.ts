import { randomBytes } from 'node:crypto';
import { TOPICS } from '@payflow/contracts';
import { adyenItemHmac } from '@payflow/psp';
import { ADYEN_HMAC_KEY, WebhooksFixture, newIntentId, newMerchant } from './webhooks-fixture';

type AdyenItem = ReturnType<WebhooksFixture['adyenItem']>;

/** PayFlow's Adyen `reference` (and so the signed merchantReference): `<intent id>:<attempt id>`. */
const newAttemptId = () => `att_${randomBytes(6).toString('hex')}`;

/**
 * An item changed after the fixture built it, then signed as Adyen would sign it (its HMAC covers
 * merchantReference, amount and eventCode, so changing them needs a new signature).
 */
function signed(item: AdyenItem, fields: Record<string, unknown>): AdyenItem {
  const changed = { ...item, ...fields, additionalData: { ...item.additionalData } } as AdyenItem;
  delete (changed.additionalData as Record<string, string>)['hmacSignature'];
  const hmacSignature = adyenItemHmac(changed, ADYEN_HMAC_KEY);
  return { ...changed, additionalData: { ...changed.additionalData, hmacSignature } } as AdyenItem;
}

describe('webhooks: PSP webhook ingestion', () => {
  const fx = new WebhooksFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  describe('POST /webhooks/stripe', () => {
    it('stores a correctly signed event raw and publishes its normalized notification keyed by the intent id', async () => {
      const intentId = newIntentId();
      const event = fx.stripeEvent('payment_intent.amount_capturable_updated', { intentId, amount: 4_200 });
      // Formatting any re-encoding would change: only the raw bytes verify.
      const payload = JSON.stringify(event, null, 2) + '\n';
      const answer = await fx.postStripe(payload, fx.stripeSignature(payload));

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true });
      const [row] = await fx.receivedRows('stripe', event['id'] as string);
      expect(row).toMatchObject({
        event_type: 'payment_intent.amount_capturable_updated',
        intent_id: intentId,
        raw_payload: payload,
        publish_error: null,
      });
      expect(row.headers['content-type']).toBe('application/json');
      expect(row.headers['stripe-signature']).toBeUndefined();

      const published = await fx.notificationsInOutbox(event['id'] as string);
      expect(published).toHaveLength(1);
      expect(published[0].key).toBe(intentId);
      expect(published[0].topic).toBe(TOPICS.webhooks);
      expect(published[0].event).toMatchObject({
        type: 'psp.notification_received',
        source: 'webhooks',
        data: {
          provider: 'stripe',
          psp_event_id: event['id'],
          kind: 'authorization',
          success: true,
          amount: 4_200,
          currency: 'USD',
          intent_id: intentId,
        },
      });
    });

    it.each([
      [
        'forged (another secret)',
        (payload: string) => ({
          body: payload,
          signature: fx.stripeSignature(payload, { secret: 'whsec_not_the_right_one' }),
        }),
      ],
      [
        'stale (signed 301 s ago)',
        (payload: string) => ({
          body: payload,
          signature: fx.stripeSignature(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
        }),
      ],
      [
        'tampered (body changed after signing)',
        (payload: string) => ({
          body: payload.replace('10000', '99999'),
          signature: fx.stripeSignature(payload),
        }),
      ],
      ['unsigned (no Stripe-Signature)', (payload: string) => ({ body: payload, signature: undefined })],
      ['signed with garbage', (payload: string) => ({ body: payload, signature: 't=abc,v1=zzz' })],
    ])('refuses a %s event with 400 and stores nothing', async (_label, make) => {
      const event = fx.stripeEvent('payment_intent.succeeded');
      const { body, signature } = make(JSON.stringify(event));
      const answer = await fx.postStripe(body, signature);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'signature_invalid' });
      expect(await fx.receivedRows('stripe', event['id'] as string)).toHaveLength(0);
      expect(await fx.notificationsInOutbox(event['id'] as string)).toHaveLength(0);
    });

    it('accepts a signature just inside the 300 s tolerance', async () => {
      const event = fx.stripeEvent('payment_intent.succeeded');
      const payload = JSON.stringify(event);
      const answer = await fx.postStripe(
        payload,
        fx.stripeSignature(payload, { timestamp: Math.floor(Date.now() / 1000) - 280 }),
      );
      expect(answer.status).toBe(200);
    });

    it('acknowledges a duplicate (sequential and concurrent) with no second row and no second outbox event', async () => {
      const event = fx.stripeEvent('payment_intent.succeeded');
      const payload = JSON.stringify(event);
      expect((await fx.postStripe(payload, fx.stripeSignature(payload))).status).toBe(200);
      // Stripe retries with a fresh signature each time.
      expect((await fx.postStripe(payload, fx.stripeSignature(payload))).status).toBe(200);
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => fx.postStripe(payload, fx.stripeSignature(payload))),
      );
      expect(burst.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(await fx.receivedRows('stripe', event['id'] as string)).toHaveLength(1);
      expect(await fx.notificationsInOutbox(event['id'] as string)).toHaveLength(1);
    });

    it('stores every event of a concurrent burst once, duplicates and Adyen items mixed in (group commit)', async () => {
      const stripeEvents = Array.from({ length: 40 }, () =>
        JSON.stringify(fx.stripeEvent('payment_intent.succeeded')),
      );
      const adyenItems = Array.from({ length: 10 }, () => fx.adyenItem('AUTHORISATION'));
      const posts = [
        ...stripeEvents.map((payload) => () => fx.postStripe(payload, fx.stripeSignature(payload))),
        ...stripeEvents
          .slice(0, 10)
          .map((payload) => () => fx.postStripe(payload, fx.stripeSignature(payload))),
        ...adyenItems.map((item) => () => fx.postAdyen([item])),
        ...adyenItems.slice(0, 5).map((item) => () => fx.postAdyen([item])),
      ];
      const answers = await Promise.all(posts.map((post) => post()));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      const stripeIds = stripeEvents.map((payload) => JSON.parse(payload).id as string);
      const adyenIds = adyenItems.map((item) => `AUTHORISATION:${item.pspReference}::true`);
      const { rows } = await fx.db.query(
        `SELECT count(*)::int AS n FROM received_psp_events WHERE psp_event_id = ANY($1::text[])`,
        [[...stripeIds, ...adyenIds]],
      );
      expect(rows[0].n).toBe(50);
      const { rows: outbox } = await fx.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE payload->'data'->>'psp_event_id' = ANY($1::text[])`,
        [[...stripeIds, ...adyenIds]],
      );
      expect(outbox[0].n).toBe(50);
    });

    it('refuses a signed body that is not a Stripe event with a 4xx and stores nothing', async () => {
      const notJson = 'this is not json';
      const answer = await fx.postStripe(notJson, fx.stripeSignature(notJson));
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('payload_invalid');
      const noId = JSON.stringify({ object: 'event', data: { object: {} } });
      const second = await fx.postStripe(noId, fx.stripeSignature(noId));
      expect(second.status).toBeGreaterThanOrEqual(400);
      expect(second.status).toBeLessThan(500);
      const { rows } = await fx.db.query(
        `SELECT count(*)::int AS n FROM received_psp_events WHERE raw_payload IN ($1, $2)`,
        [notJson, noId],
      );
      expect(rows[0].n).toBe(0);
    });

    it.each([
      [
        'an object without a currency',
        (object: Record<string, unknown>) => ({ ...object, currency: undefined }),
      ],
      [
        'an object with a currency PayFlow does not know',
        (object: Record<string, unknown>) => ({ ...object, currency: 'xyz' }),
      ],
      ['no data.object', () => undefined],
    ])(
      'stores a signed event with %s as unusable and answers 200 (a 4xx would make Stripe retry for days)',
      async (_case, change) => {
        const event = fx.stripeEvent('payment_intent.succeeded');
        const data = event['data'] as { object: Record<string, unknown> };
        const payload = JSON.stringify({ ...event, data: { object: change(data.object) } });
        const answer = await fx.postStripe(payload, fx.stripeSignature(payload));
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ received: true });
        const [row] = await fx.receivedRows('stripe', event['id'] as string);
        expect(row).toMatchObject({ raw_payload: payload, notifications: null });
        expect(row.publish_error).toMatch(/^unusable: /);
        expect(await fx.notificationsInOutbox(event['id'] as string)).toHaveLength(0);
      },
    );

    it('stores and publishes an event it cannot match to a payment yet, keyed by the PSP payment id', async () => {
      const event = fx.stripeEvent('payment_intent.succeeded', { intentId: null });
      const payload = JSON.stringify(event);
      expect((await fx.postStripe(payload, fx.stripeSignature(payload))).status).toBe(200);
      const [row] = await fx.receivedRows('stripe', event['id'] as string);
      expect(row.intent_id).toBeNull();
      const [published] = await fx.notificationsInOutbox(event['id'] as string);
      const pspPaymentId = (event['data'] as { object: { id: string } }).object.id;
      expect(published.key).toBe(pspPaymentId);
      expect(published.event.data).toMatchObject({
        intent_id: null,
        psp_reference: pspPaymentId,
        kind: 'capture',
      });
    });

    it('stores an event type PayFlow does not act on, without publishing anything', async () => {
      const event = {
        id: `evt_${newMerchant()}`,
        object: 'event',
        type: 'customer.created',
        created: 1,
        data: { object: { id: 'cus_1', object: 'customer' } },
      };
      const payload = JSON.stringify(event);
      expect((await fx.postStripe(payload, fx.stripeSignature(payload))).status).toBe(200);
      const [row] = await fx.receivedRows('stripe', event.id);
      expect(row).toMatchObject({ event_type: 'customer.created', notifications: null });
      expect(await fx.notificationsInOutbox(event.id)).toHaveLength(0);
    });
  });

  describe('POST /webhooks/adyen', () => {
    it('verifies each item, stores each, publishes each keyed by the intent id of its signed merchantReference, and answers [accepted]', async () => {
      const authorizedIntent = newIntentId();
      const capturedIntent = newIntentId();
      const authAttempt = newAttemptId();
      const captureAttempt = newAttemptId();
      // additionalData is not covered by the HMAC: an intent id there must not be believed.
      const authorisation = signed(
        fx.adyenItem('AUTHORISATION', { intentId: newIntentId(), value: 2_500, sign: false }),
        { merchantReference: `${authorizedIntent}:${authAttempt}` },
      );
      const capture = signed(
        fx.adyenItem('CAPTURE', { intentId: null, originalReference: 'ORIGINAL0000001', sign: false }),
        { merchantReference: `${capturedIntent}:${captureAttempt}` },
      );
      const answer = await fx.postAdyen([authorisation, capture]);

      expect(answer.status).toBe(200);
      expect(answer.text).toBe('[accepted]');
      const authorisationId = `AUTHORISATION:${authorisation.pspReference}::true`;
      const captureId = `CAPTURE:${capture.pspReference}:ORIGINAL0000001:true`;
      expect(await fx.receivedRows('adyen', authorisationId)).toHaveLength(1);
      const [captureRow] = await fx.receivedRows('adyen', captureId);
      expect(captureRow).toMatchObject({ intent_id: capturedIntent, publish_error: null });
      const [auth] = await fx.notificationsInOutbox(authorisationId);
      expect(auth.key).toBe(authorizedIntent);
      expect(auth.event.data).toMatchObject({
        provider: 'adyen',
        kind: 'authorization',
        success: true,
        amount: 2_500,
        currency: 'EUR',
        intent_id: authorizedIntent,
        attempt_id: authAttempt,
      });
      const [cap] = await fx.notificationsInOutbox(captureId);
      expect(cap.key).toBe(capturedIntent);
      expect(cap.event.data).toMatchObject({
        kind: 'capture',
        psp_reference: 'ORIGINAL0000001',
        intent_id: capturedIntent,
        attempt_id: captureAttempt,
      });
    });

    it("keys an item with an old bare attempt reference by the payment's PSP reference", async () => {
      const attempt = newAttemptId();
      const refund = signed(
        fx.adyenItem('REFUND', {
          intentId: newIntentId(),
          originalReference: 'ORIGINAL0000003',
          sign: false,
        }),
        { merchantReference: attempt },
      );
      expect((await fx.postAdyen([refund])).text).toBe('[accepted]');
      const [published] = await fx.notificationsInOutbox(
        `REFUND:${refund.pspReference}:ORIGINAL0000003:true`,
      );
      expect(published.key).toBe('ORIGINAL0000003');
      expect(published.event.data).toMatchObject({ kind: 'refund', intent_id: null, attempt_id: attempt });
    });

    it('stores a correctly signed item it cannot use as unusable, and still stores and publishes the others of its batch', async () => {
      const intent = newIntentId();
      const before = signed(fx.adyenItem('AUTHORISATION', { intentId: null, sign: false }), {
        merchantReference: `${intent}:${newAttemptId()}`,
      });
      const unknownCurrency = signed(fx.adyenItem('AUTHORISATION', { intentId: null, sign: false }), {
        merchantReference: `${newIntentId()}:${newAttemptId()}`,
        amount: { currency: 'XYZ', value: 1_000 },
      });
      const noAmountValue = signed(fx.adyenItem('CAPTURE', { intentId: null, sign: false }), {
        originalReference: before.pspReference,
        merchantReference: `${intent}:${newAttemptId()}`,
        amount: { currency: 'EUR' },
      });
      const cancelOrRefund = signed(
        fx.adyenItem('CANCEL_OR_REFUND', {
          intentId: null,
          originalReference: before.pspReference,
          sign: false,
        }),
        { merchantReference: `${intent}:${newAttemptId()}` },
      );
      const answer = await fx.postAdyen([before, unknownCurrency, noAmountValue, cancelOrRefund]);

      expect(answer.status).toBe(200);
      expect(answer.text).toBe('[accepted]');
      const beforeId = `AUTHORISATION:${before.pspReference}::true`;
      const unknownId = `AUTHORISATION:${unknownCurrency.pspReference}::true`;
      const noValueId = `CAPTURE:${noAmountValue.pspReference}:${before.pspReference}:true`;
      const cancelOrRefundId = `CANCEL_OR_REFUND:${cancelOrRefund.pspReference}:${before.pspReference}:true`;
      for (const unusable of [unknownId, noValueId]) {
        const [row] = await fx.receivedRows('adyen', unusable);
        expect(row.publish_error).toMatch(/^unusable: /);
        expect(row.notifications).toBeNull();
        expect(await fx.notificationsInOutbox(unusable)).toHaveLength(0);
      }
      expect(await fx.receivedRows('adyen', beforeId)).toHaveLength(1);
      const [published] = await fx.notificationsInOutbox(beforeId);
      expect(published.key).toBe(intent);
      const [voidOrRefund] = await fx.notificationsInOutbox(cancelOrRefundId);
      expect(voidOrRefund.key).toBe(intent);
      expect(voidOrRefund.event.data).toMatchObject({
        kind: 'cancel_or_refund',
        success: true,
        psp_reference: before.pspReference,
        intent_id: intent,
      });

      // Adyen's retry of the same batch changes nothing.
      expect((await fx.postAdyen([before, unknownCurrency, noAmountValue, cancelOrRefund])).text).toBe(
        '[accepted]',
      );
      expect(await fx.receivedRows('adyen', unknownId)).toHaveLength(1);
      expect(await fx.notificationsInOutbox(beforeId)).toHaveLength(1);
    });

    it('publishes a refusal with the decline as Adyen gave it: a lost card stays lost_card, with its network', async () => {
      const intent = newIntentId();
      const unsigned = fx.adyenItem('AUTHORISATION', { intentId: null, success: false, sign: false });
      const refused = signed(
        {
          ...unsigned,
          reason: 'Blocked Card',
          additionalData: {
            ...unsigned.additionalData,
            refusalReasonRaw: '41 : Lost card',
            paymentMethod: 'visa',
          },
        } as AdyenItem,
        { merchantReference: `${intent}:${newAttemptId()}` },
      );
      expect((await fx.postAdyen([refused])).text).toBe('[accepted]');
      const [published] = await fx.notificationsInOutbox(`AUTHORISATION:${refused.pspReference}::false`);
      expect(published.key).toBe(intent);
      expect(published.event.data).toMatchObject({
        kind: 'authorization',
        success: false,
        code: 'lost_card',
        decline_code: 'lost_card',
        network: 'visa',
      });
    });

    it('refuses the whole batch with 400 when one item is forged, unsigned or tampered, and stores none of it', async () => {
      const cases = [
        fx.adyenItem('AUTHORISATION', { hmacKey: 'AA'.repeat(32) }),
        fx.adyenItem('AUTHORISATION', { sign: false }),
        { ...fx.adyenItem('AUTHORISATION'), amount: { currency: 'EUR', value: 1 } },
      ];
      for (const bad of cases) {
        const good = fx.adyenItem('AUTHORISATION');
        const answer = await fx.postAdyen([good, bad]);
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe('signature_invalid');
        expect(await fx.receivedRows('adyen', `AUTHORISATION:${good.pspReference}::true`)).toHaveLength(0);
        expect(await fx.receivedRows('adyen', `AUTHORISATION:${bad.pspReference}::true`)).toHaveLength(0);
      }
    });

    it('acknowledges a repeated batch with no second effect, and refuses a body that is not a notification', async () => {
      const item = fx.adyenItem('REFUND', { originalReference: 'ORIGINAL0000002' });
      expect((await fx.postAdyen([item])).text).toBe('[accepted]');
      expect((await fx.postAdyen([item, item])).text).toBe('[accepted]');
      const id = `REFUND:${item.pspReference}:ORIGINAL0000002:true`;
      expect(await fx.receivedRows('adyen', id)).toHaveLength(1);
      expect(await fx.notificationsInOutbox(id)).toHaveLength(1);

      const notJson = await fx.call('POST', '/webhooks/adyen', { token: null, rawBody: '{not json' });
      expect(notJson.status).toBe(400);
      expect(notJson.body.error.code).toBe('payload_invalid');
      const empty = await fx.call('POST', '/webhooks/adyen', {
        token: null,
        rawBody: '{"live":"false","notificationItems":[]}',
      });
      expect(empty.status).toBe(400);
    });
  });

  it('needs no internal token on the PSP routes, while every internal route still does', async () => {
    const answer = await fx.call('GET', '/internal/v1/events', { token: null, merchant: newMerchant() });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('internal_token_invalid');
  });
});
