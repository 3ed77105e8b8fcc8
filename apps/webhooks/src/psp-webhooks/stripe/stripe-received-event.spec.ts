import { stripeEventIdentity, stripeReceivedEvent } from './stripe-received-event';

type StripeEvent = NonNullable<Parameters<typeof stripeReceivedEvent>[1]>;

const headers = { 'content-type': 'application/json' };

function event(object: Record<string, unknown>, type = 'payment_intent.succeeded'): StripeEvent {
  return {
    id: 'evt_1',
    object: 'event',
    type,
    created: 1_772_366_400,
    data: { object },
  } as unknown as StripeEvent;
}

const paymentIntent = {
  id: 'pi_3abc',
  object: 'payment_intent',
  amount: 1_000,
  amount_received: 1_000,
  currency: 'usd',
  metadata: { payflow_intent_id: 'pi_intent1', payflow_attempt_id: 'att_1' },
};

describe('stripeEventIdentity', () => {
  it('reads the id and type of an event', () => {
    expect(stripeEventIdentity(Buffer.from('{"id":"evt_1","type":"x.y","data":null}'))).toEqual({
      id: 'evt_1',
      type: 'x.y',
    });
  });

  it.each([
    ['not JSON', 'nope'],
    ['JSON null', 'null'],
    ['an array', '[{"id":"evt_1","type":"x"}]'],
    ['no id', '{"type":"x"}'],
    ['no type', '{"id":"evt_1"}'],
    ['an empty id', '{"id":"","type":"x"}'],
    ['a numeric type', '{"id":"evt_1","type":5}'],
  ])('is null for %s (a 4xx: not a Stripe event at all)', (_case, raw) => {
    expect(stripeEventIdentity(Buffer.from(raw))).toBeNull();
  });
});

describe('stripeReceivedEvent', () => {
  const raw = Buffer.from('{"id":"evt_1"}');

  it('normalizes a readable event', () => {
    const received = stripeReceivedEvent(
      { id: 'evt_1', type: 'payment_intent.succeeded' },
      event(paymentIntent),
      null,
      raw,
      headers,
    );
    expect(received).toMatchObject({
      provider: 'stripe',
      pspEventId: 'evt_1',
      rawPayload: '{"id":"evt_1"}',
      headers,
    });
    expect(received.unusable).toBeUndefined();
    expect(received.notifications[0].data).toMatchObject({ kind: 'capture', amount: 1_000, currency: 'USD' });
  });

  it.each([
    ['no currency', { ...paymentIntent, currency: undefined }],
    ['a currency PayFlow does not know', { ...paymentIntent, currency: 'xyz' }],
  ])('stores an event whose object has %s as unusable, never throwing', (_case, object) => {
    const received = stripeReceivedEvent(
      { id: 'evt_1', type: 'payment_intent.succeeded' },
      event(object),
      null,
      raw,
      headers,
    );
    expect(received.notifications).toEqual([]);
    expect(received.unusable).toEqual(expect.any(String));
  });

  it('stores an event libs/psp refused after its signature verified as unusable, with the reason', () => {
    const received = stripeReceivedEvent(
      { id: 'evt_2', type: 'refund.failed' },
      null,
      'no data.object',
      raw,
      headers,
    );
    expect(received).toMatchObject({
      pspEventId: 'evt_2',
      eventType: 'refund.failed',
      notifications: [],
      unusable: 'no data.object',
    });
  });
});
