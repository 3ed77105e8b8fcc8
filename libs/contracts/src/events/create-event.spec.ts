import { sampleIntent } from '../testing/fixtures';
import { validateEvent } from '../validate';
import type { AnyEvent } from './catalogue';
import { createEvent } from './create-event';

describe('createEvent', () => {
  it('builds a typed event that validates', () => {
    const event: AnyEvent = createEvent({
      type: 'payment_intent.captured',
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: 'pi_3f9a1c',
      aggregate_version: 5,
      merchant_id: 'mer_42',
      data: {
        intent: sampleIntent(),
        provider: 'stripe',
        amount_captured: 10000,
        fee_bps: 290,
        fee_fixed: 30,
      },
    });
    // `switch`/`if` on type narrows data: fee_bps only exists on captured events.
    if (event.type !== 'payment_intent.captured') throw new Error('unexpected type');
    expect(event.data.fee_bps).toBe(290);
    expect(validateEvent(event).ok).toBe(true);
  });
});
