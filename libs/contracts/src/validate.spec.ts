import { createEnvelope } from './envelope';
import { EVENT_DATA_SCHEMAS, isEventOfType } from './events/catalogue';
import { PaymentIntentCapturedData } from './events/intents.events';
import { PaymentIntentObject } from './objects/payment-intent.object';
import {
  sampleCapturedEvent,
  sampleEnvelope,
  sampleIntent,
  samplePspNotificationEvent,
  sampleRefund,
} from './testing/fixtures';
import { validateEvent } from './validate';

function errorsOf(raw: unknown): string[] {
  const result = validateEvent(raw);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.errors;
}

describe('validateEvent', () => {
  it('accepts a valid payment_intent.captured event', () => {
    const result = validateEvent(sampleCapturedEvent());
    expect(result).toEqual({ ok: true, event: sampleCapturedEvent() });
    if (!result.ok) return;
    expect(result.event.data).toBeInstanceOf(PaymentIntentCapturedData);
    expect((result.event.data as PaymentIntentCapturedData).intent).toBeInstanceOf(PaymentIntentObject);
    expect(isEventOfType(result.event, 'payment_intent.captured')).toBe(true);
  });

  it('accepts a valid psp.notification_received event', () => {
    const result = validateEvent(samplePspNotificationEvent());
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.event.data).toMatchObject({ kind: 'authorization', success: true, amount: 10000 });
  });

  it('accepts an event built by createEnvelope', () => {
    const event = createEnvelope({
      type: 'refund.requested',
      source: 'intents',
      aggregate_type: 'refund',
      aggregate_id: 're_77',
      aggregate_version: 0,
      merchant_id: 'mer_42',
      data: { refund: sampleRefund({ status: 'pending' }), provider: 'stripe', amount: 2500, reason: null },
    });
    expect(validateEvent(event)).toMatchObject({ ok: true });
  });

  it('names the path of a missing field', () => {
    const raw = sampleCapturedEvent();
    delete (raw.data.intent as Partial<typeof raw.data.intent>).currency;
    delete (raw as Partial<typeof raw>).merchant_id;
    const errors = errorsOf(raw);
    expect(errors).toContain('merchant_id: must be a string');
    expect(errors.some((e) => e.startsWith('data.intent.currency: '))).toBe(true);
  });

  it('reports a missing nested object', () => {
    const raw = sampleCapturedEvent();
    delete (raw.data as Partial<typeof raw.data>).intent;
    expect(errorsOf(raw).some((e) => e.startsWith('data.intent: '))).toBe(true);
  });

  it('rejects non-integer amounts', () => {
    const raw = sampleCapturedEvent();
    raw.data.intent.amount = 100.5;
    raw.data.amount_captured = 99.99;
    const errors = errorsOf(raw);
    expect(errors).toContain('data.intent.amount: must be an integer number');
    expect(errors).toContain('data.amount_captured: must be an integer number');
  });

  it('rejects amounts given as strings instead of coercing them', () => {
    const raw = sampleCapturedEvent();
    (raw.data as Record<string, unknown>)['amount_captured'] = '10000';
    expect(errorsOf(raw)).toContain('data.amount_captured: must be an integer number');
  });

  it('rejects out-of-range fee and amount values', () => {
    const raw = sampleCapturedEvent();
    raw.data.fee_bps = 10001;
    raw.data.fee_fixed = -1;
    raw.data.intent.amount = 0;
    const errors = errorsOf(raw);
    expect(errors.some((e) => e.startsWith('data.fee_bps: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.fee_fixed: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.intent.amount: '))).toBe(true);
  });

  it('rejects an unknown type', () => {
    expect(errorsOf(sampleEnvelope('payment_intent.teleported', {}))).toEqual([
      'unknown event type "payment_intent.teleported"',
    ]);
    expect(errorsOf(sampleEnvelope('constructor', {}))).toEqual(['unknown event type "constructor"']);
  });

  it('validates the envelope fields', () => {
    const raw = sampleEnvelope(
      'payment_intent.created',
      { intent: sampleIntent() },
      {
        id: 'not-a-uuid',
        schema_version: 0,
        aggregate_version: -1,
        occurred_at: '2026-03-01',
        correlation_id: 42,
      },
    );
    const fields = errorsOf(raw).map((e) => e.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining(['id', 'schema_version', 'aggregate_version', 'occurred_at', 'correlation_id']),
    );
  });

  it('rejects what is not an event at all', () => {
    expect(errorsOf(null)).toEqual(['event: must be a JSON object']);
    expect(errorsOf([])).toEqual(['event: must be a JSON object']);
    expect(errorsOf('{}')).toEqual(['event: must be a JSON object']);
    expect(errorsOf(sampleEnvelope('payment_intent.created', 'x'))).toContain('data: must be an object');
  });

  it('drops unknown fields so newer producers can add some, without touching the input', () => {
    const raw = sampleCapturedEvent() as ReturnType<typeof sampleCapturedEvent> & Record<string, unknown>;
    raw['extra'] = 1;
    (raw.data as Record<string, unknown>)['new_field'] = 'x';
    (raw.data.intent as unknown as Record<string, unknown>)['new_intent_field'] = true;
    const result = validateEvent(raw);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).not.toHaveProperty('extra');
    expect(result.event.data).not.toHaveProperty('new_field');
    expect(result.event.data).not.toHaveProperty('intent.new_intent_field');
    expect(result.event.data).toHaveProperty('intent.metadata', { order: '1234' });
    expect(raw.data).toHaveProperty('new_field', 'x');
  });

  it('reads absent correlation and causation ids as null', () => {
    const raw = sampleCapturedEvent() as Partial<ReturnType<typeof sampleCapturedEvent>>;
    delete raw.correlation_id;
    delete raw.causation_id;
    const result = validateEvent(raw);
    expect(result).toMatchObject({ ok: true, event: { correlation_id: null, causation_id: null } });
  });

  it('validates the nested last_error, nullable fields and metadata of the intent', () => {
    const declined = sampleEnvelope('payment_intent.authorization_failed', {
      intent: sampleIntent({
        status: 'failed',
        amount_received: 0,
        last_error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'generic_decline',
          message: 'Declined',
        },
      }),
      provider: 'stripe',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Declined',
    });
    expect(validateEvent(declined).ok).toBe(true);

    const broken = sampleEnvelope('payment_intent.authorization_failed', {
      intent: {
        ...sampleIntent(),
        last_error: { type: 'card_error', message: 'Declined' },
        provider: 'paypal',
        metadata: { n: 1 },
        description: undefined,
      },
      provider: null,
    });
    const errors = errorsOf(broken);
    expect(errors.some((e) => e.startsWith('data.intent.last_error.code: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.intent.provider: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.intent.metadata: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.intent.description: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.provider'))).toBe(false); // null: no eligible PSP
  });

  it('requires canonical currencies and prefixed ids', () => {
    const raw = sampleCapturedEvent();
    raw.data.intent.currency = 'usd';
    raw.data.intent.id = '3f9a1c';
    const errors = errorsOf(raw);
    expect(errors.some((e) => e.startsWith('data.intent.currency: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('data.intent.id: '))).toBe(true);
  });

  it('names array positions in ledger postings', () => {
    const posting = (account: string, direction: string, amount: number) => ({
      account,
      direction,
      amount,
      currency: 'USD',
    });
    const entry = (postings: unknown[]) =>
      sampleEnvelope(
        'ledger.entry_posted',
        { entry_id: 'je_1', source_event_id: '0b6f3c2e-8d4a-4f1b-9c3e-2a7d5e6f8a90', postings },
        { source: 'ledger', aggregate_type: 'ledger_entry', aggregate_id: 'je_1', aggregate_version: 0 },
      );
    const valid = [
      posting('psp_receivable:stripe', 'debit', 10000),
      posting('merchant_payable:mer_42', 'credit', 9680),
      posting('platform_fees:mer_42', 'credit', 320),
    ];
    expect(validateEvent(entry(valid)).ok).toBe(true);

    const errors = errorsOf(entry([valid[0], posting('merchant_payable:mer_42', 'sideways', 1.5)]));
    expect(errors.some((e) => e.startsWith('data.postings[1].direction: '))).toBe(true);
    expect(errors).toContain('data.postings[1].amount: must be an integer number');
    expect(errorsOf(entry([valid[0]])).some((e) => e.startsWith('data.postings: '))).toBe(true);
  });

  it('uses the schemas it is given, so services can add their own types', () => {
    class PingData {}
    const raw = sampleEnvelope('billing.ping', {});
    expect(validateEvent(raw).ok).toBe(false);
    expect(validateEvent(raw, { ...EVENT_DATA_SCHEMAS, 'billing.ping': PingData }).ok).toBe(true);
  });
});
