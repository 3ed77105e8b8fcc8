import { TOPICS } from '../topics';
import { EVENT_DATA_SCHEMAS, EVENT_TOPICS, EVENT_TYPES, isEventType } from './catalogue';

describe('event catalogue', () => {
  it('has exactly one schema per type, and no duplicates', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(Object.keys(EVENT_DATA_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TYPES).toHaveLength(51);
  });

  it('publishes each type on its producer topic', () => {
    expect(EVENT_TOPICS['payment_intent.captured']).toBe(TOPICS.intents);
    expect(EVENT_TOPICS['refund.failed']).toBe(TOPICS.intents);
    expect(EVENT_TOPICS['payment.refunded']).toBe(TOPICS.orchestrator);
    expect(EVENT_TOPICS['psp.notification_received']).toBe(TOPICS.webhooks);
    expect(EVENT_TOPICS['ledger.entry_posted']).toBe(TOPICS.ledger);
    expect(EVENT_TOPICS['invoice.payment_request_rejected']).toBe(TOPICS.intents);
    expect(EVENT_TOPICS['merchant.updated']).toBe(TOPICS.gateway);
    expect(EVENT_TOPICS['invoice.payment_requested']).toBe(TOPICS.billing);
    expect(EVENT_TOPICS['test_clock.advanced']).toBe(TOPICS.billing);
    expect(EVENT_TOPICS['dunning.retry_due']).toBe(TOPICS.dunning);
    expect(EVENT_TOPICS['payment_method.unusable']).toBe(TOPICS.dunning);
    expect(Object.keys(EVENT_TOPICS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('recognizes its types only', () => {
    expect(isEventType('payment.captured')).toBe(true);
    expect(isEventType('payment.teleported')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });
});
