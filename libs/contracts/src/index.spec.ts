import * as contracts from './index';

describe('@payflow/contracts', () => {
  it('re-exports the public surface from its entry point', () => {
    for (const name of [
      'createEnvelope',
      'createEvent',
      'EventEnvelopeSchema',
      'EVENT_ID_HEADER',
      'TOPICS',
      'deadLetterTopicOf',
      'currencyExponent',
      'feeMinor',
      'formatMinor',
      'PaymentIntentObject',
      'RefundObject',
      'EVENT_TYPES',
      'EVENT_DATA_SCHEMAS',
      'validateEvent',
    ]) {
      expect(contracts).toHaveProperty(name);
    }
    expect(contracts.TRACEPARENT_HEADER).toBe('traceparent');
    expect(contracts.TOPIC_PARTITIONS).toBe(6);
  });
});
