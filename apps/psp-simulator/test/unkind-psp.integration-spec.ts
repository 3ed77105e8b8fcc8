import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { hmacValidator } from '@adyen/api-library';
import Stripe from 'stripe';
import { waitFor } from '@payflow/platform/testing';
import { simulatorConfigFrom, startSimulator } from '../src/simulator-app';
import { WebhookSink } from './webhook-sink';

const STRIPE_SECRET = 'whsec_simulator_unkind';
const ADYEN_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
const SLOW_MS = 1_500;

interface Held {
  provider: string;
  psp_reference: string;
  intent_id: string | null;
  attempt_id: string | null;
  status: string;
  amount_authorized: number;
  amount_held: number;
  amount_captured: number;
  amount_refunded: number;
  net_charge: number;
  failed_captures: number;
  failed_refunds: number;
}

interface AdyenItem {
  eventCode: string;
  success: string;
  pspReference: string;
  originalReference?: string;
  merchantReference: string;
  reason: string;
  paymentMethod?: string;
  additionalData: Record<string, string>;
}

/** The list, or undefined while it is empty (what `waitFor` polls for). */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/**
 * The simulator behaving as unkindly as the real PSPs (issue 10): unconfirmed Stripe intents and
 * confirmation, 409 for a key in use, saved 500s, resets after execution, decline network codes,
 * captures and refunds failing after success, Adyen's technical cancel, lost and late webhooks.
 */
describe('PSP simulator, unkind', () => {
  let sink: WebhookSink;
  let app: INestApplication;
  let base: string;
  let run = 0;

  beforeAll(async () => {
    sink = new WebhookSink();
    const sinkUrl = await sink.start();
    app = await startSimulator(
      simulatorConfigFrom({
        PSP_SIMULATOR_PORT: '0',
        LOG_LEVEL: 'silent',
        STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
        ADYEN_HMAC_KEY: ADYEN_KEY,
        SIMULATOR_WEBHOOK_URL_STRIPE: `${sinkUrl}/webhooks/stripe`,
        SIMULATOR_WEBHOOK_URL_ADYEN: `${sinkUrl}/webhooks/adyen`,
        SIMULATOR_WEBHOOK_DELAY_MS: '5',
        SIMULATOR_LATE_FAILURE_DELAY_MS: '100',
        SIMULATOR_SLOW_RESPONSE_MS: String(SLOW_MS),
      }),
    );
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await sink?.stop();
  });

  beforeEach(async () => {
    run += 1;
    await fetch(`${base}/_simulator/faults/stripe`, { method: 'DELETE' });
    await fetch(`${base}/_simulator/faults/adyen`, { method: 'DELETE' });
  });

  /** Ids unique to this test, so earlier tests' late webhooks never match. */
  function ids(name: string): { intent: string; attempt: string } {
    return { intent: `pi_${name}_${run}`, attempt: `att_${name}_${run}` };
  }

  async function setFaults(provider: 'stripe' | 'adyen', faults: Record<string, number>): Promise<void> {
    const response = await fetch(`${base}/_simulator/faults/${provider}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
  }

  function stripePost(path: string, form: Record<string, string>, key?: string): Promise<Response> {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer sk_test_sim',
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(key ? { 'Idempotency-Key': key } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });
  }

  async function stripeGet<T>(path: string): Promise<T> {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: 'Bearer sk_test_sim' } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  function createForm(
    id: { intent: string; attempt: string },
    paymentMethod = 'pm_card_visa',
    captureMethod = 'manual',
  ): Record<string, string> {
    return {
      amount: '1000',
      currency: 'usd',
      payment_method: paymentMethod,
      confirm: 'false',
      capture_method: captureMethod,
      'metadata[payflow_intent_id]': id.intent,
      'metadata[payflow_attempt_id]': id.attempt,
    };
  }

  /** Creates an unconfirmed Stripe payment intent and returns its id. */
  async function prepared(
    id: { intent: string; attempt: string },
    paymentMethod?: string,
    capture?: string,
  ): Promise<string> {
    const response = await stripePost(
      '/v1/payment_intents',
      createForm(id, paymentMethod, capture),
      `${id.attempt}_create`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; status: string };
    expect(body.status).toBe('requires_confirmation');
    return body.id;
  }

  function stripeEvents(marker: string): Stripe.Event[] {
    return sink.received
      .filter((w) => w.path === '/webhooks/stripe' && w.body.includes(marker))
      .map((w) =>
        Stripe.webhooks.constructEvent(w.body, String(w.headers['stripe-signature']), STRIPE_SECRET),
      );
  }

  function adyenItems(marker: string): AdyenItem[] {
    return sink.received
      .filter((w) => w.path === '/webhooks/adyen' && w.body.includes(marker))
      .map((w) => {
        const item = JSON.parse(w.body).notificationItems[0].NotificationRequestItem;
        expect(new hmacValidator().validateHMAC(item, ADYEN_KEY)).toBe(true);
        return item as AdyenItem;
      });
  }

  async function held(pspReference: string): Promise<Held> {
    const body = (await (await fetch(`${base}/_simulator/inspection/payments`)).json()) as {
      payments: Held[];
    };
    const found = body.payments.find((payment) => payment.psp_reference === pspReference);
    if (!found) throw new Error(`no payment ${pspReference}`);
    return found;
  }

  const ADYEN_HEADERS = { 'Content-Type': 'application/json', 'X-API-Key': 'adyen-key' };

  function adyenPost(path: string, body: unknown, key?: string): Promise<Response> {
    return fetch(`${base}/checkout/v71${path}`, {
      method: 'POST',
      headers: { ...ADYEN_HEADERS, ...(key ? { 'Idempotency-Key': key } : {}) },
      body: JSON.stringify(body),
    });
  }

  async function adyenPay(
    id: { intent: string; attempt: string },
    card = 'pm_card_visa',
    manualCapture = true,
  ): Promise<{
    pspReference: string;
    resultCode: string;
    refusalReason?: string;
    refusalReasonCode?: string;
    additionalData?: Record<string, string>;
  }> {
    const response = await adyenPost('/payments', {
      merchantAccount: 'M',
      amount: { value: 500, currency: 'EUR' },
      reference: `${id.intent}:${id.attempt}`,
      paymentMethod: { type: 'scheme', storedPaymentMethodId: card },
      ...(manualCapture ? { additionalData: { manualCapture: 'true' } } : {}),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as never;
  }

  describe('Stripe', () => {
    it('creates unconfirmed (nothing held, no event), confirms with the attempt’s key, refuses to cancel a succeeded intent', async () => {
      const id = ids('confirm');
      const pi = await prepared(id);
      expect(await held(pi)).toMatchObject({
        status: 'requires_confirmation',
        intent_id: id.intent,
        amount_authorized: 0,
        amount_held: 0,
        net_charge: 0,
      });
      expect(await (await fetch(`${base}/_simulator/charges?intent=${id.intent}`)).json()).toMatchObject({
        charges: 0,
      });

      const confirmed = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(confirmed.status).toBe(200);
      expect(await confirmed.json()).toMatchObject({
        id: pi,
        status: 'requires_capture',
        amount_capturable: 1000,
      });
      const again = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(
        await (await fetch(`${base}/_simulator/charges?key=${id.attempt}&provider=stripe`)).json(),
      ).toMatchObject({
        charges: 1,
        replays: 1,
      });
      // A new key cannot confirm it twice.
      const twice = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, `${id.attempt}_other`);
      expect(twice.status).toBe(400);
      expect(await twice.json()).toMatchObject({ error: { code: 'payment_intent_unexpected_state' } });

      // Only the confirmation's event was sent: creation sends none (webhooks arrive in order).
      await waitFor(() => stripeEvents(`"${id.attempt}"`).length >= 1, { what: 'confirmation event' });
      expect(stripeEvents(`"${id.attempt}"`).map((e) => e.type)).toEqual([
        'payment_intent.amount_capturable_updated',
      ]);
      expect(await stripeGet<{ status: string }>(`/v1/payment_intents/${pi}`)).toMatchObject({
        status: 'requires_capture',
      });
      expect(await held(pi)).toMatchObject({
        status: 'authorized',
        amount_authorized: 1000,
        amount_held: 1000,
      });

      const automatic = await prepared(ids('confirm_auto'), 'pm_card_visa', 'automatic');
      expect(
        (await stripePost(`/v1/payment_intents/${automatic}/confirm`, {}, `${id.attempt}_auto`)).status,
      ).toBe(200);
      const cancel = await stripePost(`/v1/payment_intents/${automatic}/cancel`, {});
      expect(cancel.status).toBe(400);
      expect(await cancel.json()).toMatchObject({
        error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state' },
      });
      expect(await held(automatic)).toMatchObject({
        status: 'captured',
        amount_captured: 1000,
        net_charge: 1000,
      });
    });

    it('declines with the network’s decline and advice codes and the card brand, in the 402, on retrieve and in the event', async () => {
      const id = ids('dnta');
      const pi = await prepared(id, 'pm_card_mastercard_doNotTryAgain');
      const declined = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(declined.status).toBe(402);
      const expected = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'do_not_honor',
        network_decline_code: '05',
        network_advice_code: '03',
        payment_method: { card: { brand: 'mastercard' } },
      };
      expect(((await declined.json()) as { error: unknown }).error).toMatchObject({
        ...expected,
        payment_intent: { id: pi, status: 'requires_payment_method', last_payment_error: expected },
      });
      expect(await stripeGet(`/v1/payment_intents/${pi}`)).toMatchObject({ last_payment_error: expected });
      const events = await waitFor(() => nonEmpty(stripeEvents(`"${id.attempt}"`)), {
        what: 'payment_failed',
      });
      expect(events[0]).toMatchObject({
        type: 'payment_intent.payment_failed',
        data: { object: { last_payment_error: expected } },
      });
      expect(await held(pi)).toMatchObject({ status: 'refused', amount_authorized: 0 });

      const stolen = await prepared(ids('stolen'), 'pm_card_visa_chargeDeclinedStolenCard');
      const answer = await stripePost(`/v1/payment_intents/${stolen}/confirm`, {});
      expect(((await answer.json()) as { error: unknown }).error).toMatchObject({
        decline_code: 'stolen_card',
        network_decline_code: '43',
        payment_method: { card: { brand: 'visa' } },
      });
    });

    it('declines pm_card_insufficientFundsTwice on the first two authorizations of a PayFlow intent, on either PSP', async () => {
      const id = ids('twice');
      const statuses: number[] = [];
      for (const attempt of ['a1', 'a2', 'a3']) {
        const pi = await prepared(
          { intent: id.intent, attempt: `${id.attempt}_${attempt}` },
          'pm_card_insufficientFundsTwice',
        );
        statuses.push((await stripePost(`/v1/payment_intents/${pi}/confirm`, {})).status);
      }
      expect(statuses).toEqual([402, 402, 200]);

      const other = ids('twice_adyen');
      const first = await adyenPay(
        { ...other, attempt: `${other.attempt}_1` },
        'pm_card_insufficientFundsTwice',
      );
      expect(first).toMatchObject({
        resultCode: 'Refused',
        refusalReason: 'Not enough balance',
        refusalReasonCode: '12',
      });
      const pi = await prepared(
        { ...other, attempt: `${other.attempt}_2` },
        'pm_card_insufficientFundsTwice',
      );
      expect((await stripePost(`/v1/payment_intents/${pi}/confirm`, {})).status).toBe(402);
      expect(
        await adyenPay({ ...other, attempt: `${other.attempt}_3` }, 'pm_card_insufficientFundsTwice'),
      ).toMatchObject({
        resultCode: 'Authorised',
      });
    });

    it('answers 409 idempotency_key_in_use while the key’s first request is still running, then replays its answer', async () => {
      const id = ids('inuse');
      const pi = await prepared(id, 'pm_card_timeout');
      const first = stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      // The slow card executes at once and answers late: the key stays in use meanwhile.
      await waitFor(
        async () =>
          (await stripeGet<{ status: string }>(`/v1/payment_intents/${pi}`)).status === 'requires_capture',
        {
          what: 'first confirmation executed',
        },
      );
      const concurrent = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(concurrent.status).toBe(409);
      expect(await concurrent.json()).toMatchObject({
        error: { type: 'idempotency_error', code: 'idempotency_key_in_use' },
      });
      expect((await first).status).toBe(200);
      const after = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(after.status).toBe(200);
      expect(after.headers.get('idempotent-replayed')).toBe('true');
    });

    it('saves a 500 for the key (error_5xx_saved): same-key retries get it again; retrieve tells the truth', async () => {
      const id = ids('saved');
      const pi = await prepared(id);
      await setFaults('stripe', { error_5xx_saved: 1, limit: 1 });
      const failed = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(failed.status).toBe(500);
      expect(failed.headers.get('idempotent-replayed')).toBeNull();
      const retried = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(retried.status).toBe(500);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(await retried.json()).toMatchObject({ error: { type: 'api_error' } });
      expect(await stripeGet(`/v1/payment_intents/${pi}`)).toMatchObject({ status: 'requires_capture' });
      expect(
        await (await fetch(`${base}/_simulator/charges?key=${id.attempt}&provider=stripe`)).json(),
      ).toMatchObject({
        charges: 1,
        replays: 1,
      });
    });

    it('resets the connection after executing (reset_after_execution); a same-key retry replays the outcome', async () => {
      const id = ids('reset');
      const pi = await prepared(id);
      await setFaults('stripe', { reset_after_execution: 1, limit: 1 });
      await expect(stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt)).rejects.toThrow();
      const retried = await stripePost(`/v1/payment_intents/${pi}/confirm`, {}, id.attempt);
      expect(retried.status).toBe(200);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(await retried.json()).toMatchObject({ status: 'requires_capture' });
    });

    it('fails a succeeded refund later (pm_card_refundFailsLater): refund.failed, GET says failed, the money is back', async () => {
      const id = ids('refund_fails');
      const pi = await prepared(id, 'pm_card_refundFailsLater', 'automatic');
      expect((await stripePost(`/v1/payment_intents/${pi}/confirm`, {})).status).toBe(200);
      const refund = (await (
        await stripePost('/v1/refunds', { payment_intent: pi, amount: '400' })
      ).json()) as {
        id: string;
        status: string;
      };
      expect(refund.status).toBe('succeeded');
      const failed = await waitFor(
        () => stripeEvents(`"${refund.id}"`).find((event) => event.type === 'refund.failed'),
        { what: 'refund.failed' },
      );
      expect(failed.data.object).toMatchObject({
        id: refund.id,
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
      });
      expect(await stripeGet(`/v1/refunds/${refund.id}`)).toMatchObject({
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
      });
      expect(await held(pi)).toMatchObject({
        amount_captured: 1000,
        amount_refunded: 0,
        net_charge: 1000,
        failed_refunds: 1,
      });
    });

    it('fails refunds later by fault too (refund_failed), and not without it', async () => {
      const id = ids('refund_fault');
      const pi = await prepared(id, 'pm_card_visa', 'automatic');
      expect((await stripePost(`/v1/payment_intents/${pi}/confirm`, {})).status).toBe(200);
      const kept = (await (
        await stripePost('/v1/refunds', { payment_intent: pi, amount: '100' })
      ).json()) as { id: string };
      await setFaults('stripe', { refund_failed: 1 });
      const lost = (await (
        await stripePost('/v1/refunds', { payment_intent: pi, amount: '200' })
      ).json()) as { id: string };
      await waitFor(
        async () => (await stripeGet<{ status: string }>(`/v1/refunds/${lost.id}`)).status === 'failed',
        {
          what: 'refund failed',
        },
      );
      expect(await stripeGet(`/v1/refunds/${kept.id}`)).toMatchObject({ status: 'succeeded' });
      expect(await held(pi)).toMatchObject({ amount_refunded: 100, net_charge: 900, failed_refunds: 1 });
      // The refunds of one payment intent, newest first: how a refund whose id was lost is found.
      const list = await stripeGet<{ object: string; data: { id: string; status: string }[] }>(
        `/v1/refunds?payment_intent=${pi}`,
      );
      expect(list.object).toBe('list');
      expect(list.data.map((refund) => [refund.id, refund.status])).toEqual([
        [lost.id, 'failed'],
        [kept.id, 'succeeded'],
      ]);
    });
  });

  describe('Adyen', () => {
    it('refuses with the raw acquirer answer, the merchant advice code and the network, in the answer and the notification', async () => {
      const id = ids('adyen_dnta');
      const refused = await adyenPay(id, 'pm_card_mastercard_doNotTryAgain');
      expect(refused).toMatchObject({
        resultCode: 'Refused',
        refusalReason: 'Refused',
        refusalReasonCode: '2',
        additionalData: {
          refusalReasonRaw: '05 : Do not honor',
          merchantAdviceCode: '03: Do not try again',
          paymentMethod: 'mc',
        },
        paymentMethod: { brand: 'mc', type: 'scheme' },
      });
      const [item] = await waitFor(() => nonEmpty(adyenItems(`"${id.intent}:${id.attempt}"`)), {
        what: 'AUTHORISATION',
      });
      expect(item).toMatchObject({
        eventCode: 'AUTHORISATION',
        success: 'false',
        reason: 'Refused',
        paymentMethod: 'mc',
        merchantReference: `${id.intent}:${id.attempt}`,
        additionalData: { refusalReasonRaw: '05 : Do not honor', merchantAdviceCode: '03: Do not try again' },
      });
      const lost = await adyenPay(ids('adyen_lost'), 'pm_card_chargeDeclinedLostCard');
      expect(lost).toMatchObject({
        refusalReason: 'Blocked Card',
        refusalReasonCode: '5',
        additionalData: { refusalReasonRaw: '41 : Lost card', paymentMethod: 'visa' },
      });
      expect(lost.additionalData).not.toHaveProperty('merchantAdviceCode');
    });

    it('maps payments to intents by the <intent>:<attempt> reference', async () => {
      const id = ids('adyen_ref');
      const payment = await adyenPay(id);
      expect(await held(payment.pspReference)).toMatchObject({
        intent_id: id.intent,
        attempt_id: id.attempt,
        status: 'authorized',
        amount_held: 500,
      });
      expect(
        await (await fetch(`${base}/_simulator/charges?intent=${id.intent}&provider=adyen`)).json(),
      ).toMatchObject({ charges: 1 });
      expect(
        await (await fetch(`${base}/_simulator/charges?reference=${id.attempt}&provider=adyen`)).json(),
      ).toMatchObject({ charges: 1 });
    });

    it('sends CAPTURE_FAILED after CAPTURE (pm_card_captureFailsLater): nothing stays captured', async () => {
      const id = ids('capture_fails');
      const payment = await adyenPay(id, 'pm_card_captureFailsLater');
      const capture = await adyenPost(`/payments/${payment.pspReference}/captures`, {
        merchantAccount: 'M',
        amount: { value: 500, currency: 'EUR' },
        reference: `${id.attempt}_capture`,
      });
      const { pspReference: capturePsp } = (await capture.json()) as { pspReference: string };
      const items = await waitFor(
        () => {
          const found = adyenItems(`"${id.attempt}_capture"`);
          return found.length >= 2 ? found : undefined;
        },
        { what: 'CAPTURE and CAPTURE_FAILED' },
      );
      expect(items.map((item) => [item.eventCode, item.success])).toEqual([
        ['CAPTURE', 'true'],
        ['CAPTURE_FAILED', 'true'],
      ]);
      expect(items[1]).toMatchObject({ pspReference: capturePsp, originalReference: payment.pspReference });
      expect(await held(payment.pspReference)).toMatchObject({
        amount_captured: 0,
        net_charge: 0,
        failed_captures: 1,
      });
    });

    it('fails the refunds of a capture that fails later (REFUND_FAILED after CAPTURE_FAILED): nothing was there to refund', async () => {
      const id = ids('capture_fails_refunded');
      const payment = await adyenPay(id, 'pm_card_captureFailsLater');
      await adyenPost(`/payments/${payment.pspReference}/captures`, {
        merchantAccount: 'M',
        amount: { value: 500, currency: 'EUR' },
        reference: `${id.attempt}_capture`,
      });
      // Within the late-failure delay: the refund succeeds first, as the capture still stands.
      const refund = await adyenPost(`/payments/${payment.pspReference}/refunds`, {
        merchantAccount: 'M',
        amount: { value: 200, currency: 'EUR' },
        reference: `${id.attempt}_refund`,
      });
      expect(refund.status).toBe(201);
      const items = await waitFor(
        () => {
          const found = adyenItems(`"${id.attempt}_refund"`);
          return found.length >= 2 ? found : undefined;
        },
        { what: 'REFUND then REFUND_FAILED' },
      );
      expect(items.map((item) => [item.eventCode, item.success])).toEqual([
        ['REFUND', 'true'],
        ['REFUND_FAILED', 'true'],
      ]);
      expect(await held(payment.pspReference)).toMatchObject({
        amount_captured: 0,
        amount_refunded: 0,
        net_charge: 0,
        failed_captures: 1,
        failed_refunds: 1,
      });
    });

    it('sends REFUND_FAILED or REFUNDED_REVERSED after REFUND (cards and faults): the refund no longer counts', async () => {
      const cases: [string, string, Record<string, number>][] = [
        ['pm_card_refundFailsLater', 'REFUND_FAILED', {}],
        ['pm_card_refundReversedLater', 'REFUNDED_REVERSED', {}],
        ['pm_card_visa', 'REFUND_FAILED', { refund_failed: 1 }],
        ['pm_card_visa', 'REFUNDED_REVERSED', { refund_reversed: 1 }],
      ];
      for (const [index, [card, eventCode, faults]] of cases.entries()) {
        await setFaults('adyen', faults);
        const id = ids(`refund_${index}`);
        const payment = await adyenPay(id, card, false);
        const refundReference = `${id.attempt}_refund`;
        await adyenPost(`/payments/${payment.pspReference}/refunds`, {
          merchantAccount: 'M',
          amount: { value: 200, currency: 'EUR' },
          reference: refundReference,
        });
        const items = await waitFor(
          () => {
            const found = adyenItems(`"${refundReference}"`);
            return found.length >= 2 ? found : undefined;
          },
          { what: `REFUND then ${eventCode}` },
        );
        expect(items.map((item) => item.eventCode)).toEqual(['REFUND', eventCode]);
        expect(await held(payment.pspReference)).toMatchObject({
          status: 'captured',
          amount_captured: 500,
          amount_refunded: 0,
          net_charge: 500,
          failed_refunds: 1,
        });
      }
    });

    it('cancels technically by merchant reference: voids a held payment, finds none, refuses once captured', async () => {
      const held1 = ids('tc_held');
      const payment = await adyenPay(held1);
      const cancel = await adyenPost('/cancels', {
        merchantAccount: 'M',
        paymentReference: `${held1.intent}:${held1.attempt}`,
        reference: `${held1.attempt}_tc`,
      });
      expect(cancel.status).toBe(201);
      expect(await cancel.json()).toMatchObject({
        status: 'received',
        paymentReference: `${held1.intent}:${held1.attempt}`,
      });

      const none = ids('tc_none');
      await adyenPost('/cancels', {
        merchantAccount: 'M',
        paymentReference: `${none.intent}:${none.attempt}`,
        reference: `${none.attempt}_tc`,
      });

      const captured = ids('tc_captured');
      const automatic = await adyenPay(captured, 'pm_card_visa', false);
      await adyenPost('/cancels', {
        merchantAccount: 'M',
        paymentReference: `${captured.intent}:${captured.attempt}`,
        reference: `${captured.attempt}_tc`,
      });

      const only = async (marker: string) =>
        (await waitFor(() => nonEmpty(adyenItems(marker)), { what: marker }))[0];
      expect(await only(`"${held1.attempt}_tc"`)).toMatchObject({
        eventCode: 'TECHNICAL_CANCEL',
        success: 'true',
        originalReference: payment.pspReference,
      });
      expect(await held(payment.pspReference)).toMatchObject({
        status: 'canceled',
        amount_held: 0,
        net_charge: 0,
      });

      const nothing = await only(`"${none.attempt}_tc"`);
      expect(nothing).toMatchObject({ eventCode: 'TECHNICAL_CANCEL', success: 'true' });
      expect(nothing).not.toHaveProperty('originalReference');

      expect(await only(`"${captured.attempt}_tc"`)).toMatchObject({
        eventCode: 'TECHNICAL_CANCEL',
        success: 'false',
        reason: 'Payment already captured',
        originalReference: automatic.pspReference,
      });
      expect(await held(automatic.pspReference)).toMatchObject({ status: 'captured', net_charge: 500 });
    });
  });

  describe('webhooks', () => {
    it('never delivers a dropped webhook (webhook_drop) and owes nothing for it', async () => {
      const dropped = ids('wh_drop');
      const kept = ids('wh_kept');
      await setFaults('stripe', { webhook_drop: 1 });
      const pi = await prepared(dropped);
      await stripePost(`/v1/payment_intents/${pi}/confirm`, {});
      await fetch(`${base}/_simulator/faults/stripe`, { method: 'DELETE' });
      const later = await prepared(kept);
      await stripePost(`/v1/payment_intents/${later}/confirm`, {});
      // Webhooks go out in order: once the later one arrived, the dropped one would have too.
      await waitFor(() => stripeEvents(`"${kept.attempt}"`).length > 0, { what: 'later webhook' });
      expect(stripeEvents(`"${dropped.attempt}"`)).toEqual([]);
      const stats = (await (await fetch(`${base}/_simulator/stats`)).json()) as {
        stripe: { webhooks: { lost: number } };
      };
      expect(stats.stripe.webhooks.lost).toBeGreaterThanOrEqual(1);
      const pending = (await (await fetch(`${base}/_simulator/inspection/webhooks`)).json()) as {
        stripe: { pending: number };
      };
      expect(pending.stripe.pending).toBe(0);
    });

    it('holds a late webhook (webhook_late, webhook_late_ms) before its first delivery', async () => {
      const id = ids('wh_late');
      await setFaults('adyen', { webhook_late: 1, webhook_late_ms: 700 });
      const sentAt = Date.now();
      await adyenPay(id);
      await waitFor(() => adyenItems(`"${id.intent}:${id.attempt}"`).length > 0, {
        what: 'late AUTHORISATION',
      });
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(700);
    });
  });
});
