import { createEnvelope } from './envelope';
import { isTimestamp } from './validation/is-timestamp';

const input = {
  type: 'payment_intent.created',
  source: 'intents',
  aggregate_type: 'payment_intent',
  aggregate_id: 'pi_1',
  aggregate_version: 0,
  merchant_id: 'mer_1',
  data: { hello: 'world' },
};

describe('createEnvelope', () => {
  it('fills id, occurred_at, schema_version and the null ids', () => {
    const before = Date.now();
    const envelope = createEnvelope(input);
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isTimestamp(envelope.occurred_at)).toBe(true);
    const occurred = Date.parse(envelope.occurred_at);
    expect(occurred).toBeGreaterThanOrEqual(before);
    expect(occurred).toBeLessThanOrEqual(Date.now());
    expect(envelope.schema_version).toBe(1);
    expect(envelope.correlation_id).toBeNull();
    expect(envelope.causation_id).toBeNull();
    expect(envelope).toMatchObject(input);
  });

  it('gives every event its own id', () => {
    expect(createEnvelope(input).id).not.toBe(createEnvelope(input).id);
  });

  it('keeps what the producer supplies', () => {
    const envelope = createEnvelope({
      ...input,
      id: '0b6f3c2e-8d4a-4f1b-9c3e-2a7d5e6f8a90',
      occurred_at: '2026-01-02T03:04:05.000Z',
      schema_version: 2,
      correlation_id: 'req_1',
      causation_id: 'evt_0',
    });
    expect(envelope).toMatchObject({
      id: '0b6f3c2e-8d4a-4f1b-9c3e-2a7d5e6f8a90',
      occurred_at: '2026-01-02T03:04:05.000Z',
      schema_version: 2,
      correlation_id: 'req_1',
      causation_id: 'evt_0',
    });
  });
});
