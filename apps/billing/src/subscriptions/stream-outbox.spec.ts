import { outboxReasonOf, outboxTypeOf, previousStatusOf } from './stream-outbox';
import type { SubscriptionEvent } from './subscription-stream';

const at = 1_767_225_600;

describe('stream events → subscription.* events', () => {
  it.each([
    ['created', 'subscription.created'],
    ['items_changed', 'subscription.updated'],
    ['cancel_scheduled', 'subscription.updated'],
    ['cancel_unscheduled', 'subscription.updated'],
    ['trial_ended', 'subscription.updated'],
    ['canceled', 'subscription.canceled'],
    ['status_changed', 'subscription.status_changed'],
  ] as const)('%s publishes %s', (type, published) => {
    expect(outboxTypeOf({ type })).toBe(published);
  });

  it("a status change gives its own reason; other events their type", () => {
    const statusChanged: SubscriptionEvent = {
      type: 'status_changed',
      version: 3,
      at,
      data: { status: 'active', reason: 'first_invoice_paid' },
    };
    expect(outboxReasonOf(statusChanged)).toBe('first_invoice_paid');
    expect(outboxReasonOf({ type: 'trial_ended', version: 2, at, data: {} })).toBe('trial_ended');
  });

  it('a creation has no previous status; anything else the status before it', () => {
    expect(previousStatusOf({ type: 'trial_ended', version: 2, at, data: {} }, 'trialing')).toBe('trialing');
    const created = { type: 'created', version: 1, at, data: {} } as unknown as SubscriptionEvent;
    expect(previousStatusOf(created, 'active')).toBeNull();
  });
});
