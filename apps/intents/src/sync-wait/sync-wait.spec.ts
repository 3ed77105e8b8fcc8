import { PaymentIntentRow } from '../payment-intents/payment-intent.row';
import { IntentWaiter } from './intent-waiter';
import { isSettled } from './sync-wait';

const intent = (patch: Partial<PaymentIntentRow>) =>
  ({ capture_method: 'manual', last_error: null, ...patch }) as PaymentIntentRow;

describe('isSettled', () => {
  it('authorize settles when the intent leaves authorizing', () => {
    expect(isSettled('authorize', intent({ status: 'authorizing' }))).toBe(false);
    expect(isSettled('authorize', intent({ status: 'authorized' }))).toBe(true);
    expect(isSettled('authorize', intent({ status: 'failed' }))).toBe(true);
  });

  it('automatic authorize settles at captured, or at authorized only once the capture failed', () => {
    expect(isSettled('authorize', intent({ status: 'authorized', capture_method: 'automatic' }))).toBe(false);
    expect(isSettled('authorize', intent({ status: 'captured', capture_method: 'automatic' }))).toBe(true);
    const failedCapture = intent({
      status: 'authorized',
      capture_method: 'automatic',
      last_error: { type: 'api_error', code: 'x', message: '' },
    });
    expect(isSettled('authorize', failedCapture)).toBe(true);
  });

  it('capture and cancel settle when they leave capturing / canceling', () => {
    expect(isSettled('capture', intent({ status: 'capturing' }))).toBe(false);
    expect(isSettled('capture', intent({ status: 'authorized' }))).toBe(true);
    expect(isSettled('cancel', intent({ status: 'canceling' }))).toBe(false);
    expect(isSettled('cancel', intent({ status: 'canceled' }))).toBe(true);
  });
});

describe('IntentWaiter', () => {
  it('remembers a notification that came while nobody awaited', async () => {
    const waiter = new IntentWaiter('pi_1', () => undefined);
    waiter.notify();
    expect(await waiter.next(10_000)).toBe('changed');
  });

  it('wakes an awaiting reader, and times out without one', async () => {
    const waiter = new IntentWaiter('pi_1', () => undefined);
    const next = waiter.next(10_000);
    waiter.notify();
    expect(await next).toBe('changed');
    expect(await waiter.next(5)).toBe('timeout');
  });

  it('unregisters itself on dispose', () => {
    const disposed: IntentWaiter[] = [];
    const waiter = new IntentWaiter('pi_1', (w) => disposed.push(w));
    waiter.dispose();
    expect(disposed).toEqual([waiter]);
  });
});
