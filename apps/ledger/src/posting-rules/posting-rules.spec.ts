import { createEvent } from '@payflow/contracts';
import { accountIdentity } from './accounts';
import { MoneyEvent, decideEntry, planEntry } from './plan-entry';
import { PlannedPosting } from './planned-entry';
import { captureFee, capturePostings, holdReleasePostings, isBalanced, refundPostings } from './posting-rules';

/** "kind:owner/CUR debit 100" lines, easy to compare. */
function lines(postings: PlannedPosting[]): string[] {
  return postings.map((p) => `${accountIdentity(p.account)} ${p.direction} ${p.amount}${p.pending ? ' pending' : ''}`);
}

describe('capture', () => {
  it('books gross to the PSP, net to the merchant and the fee to the platform', () => {
    const postings = capturePostings({
      provider: 'stripe', merchantId: 'mer_a', currency: 'USD', amountCaptured: 10_000n, feeBps: 290, feeFixed: 30n,
    });
    expect(lines(postings)).toEqual([
      'psp_receivable:stripe/USD debit 10000',
      'merchant_payable:mer_a/USD credit 9680',
      'platform_fees:mer_a/USD credit 320',
    ]);
    expect(isBalanced(postings)).toBe(true);
  });

  it('charges the fee of the captured amount on a partial capture', () => {
    const postings = capturePostings({
      provider: 'adyen', merchantId: 'mer_a', currency: 'EUR', amountCaptured: 6_000n, feeBps: 290, feeFixed: 25n,
    });
    // 290 bps of 6000 = 174, + 25 fixed.
    expect(lines(postings)).toEqual([
      'psp_receivable:adyen/EUR debit 6000',
      'merchant_payable:mer_a/EUR credit 5801',
      'platform_fees:mer_a/EUR credit 199',
    ]);
  });

  it.each([
    [50n, 290, 0n, 1n], // 1.45 → 1
    [150n, 290, 0n, 4n], // 4.35 → 4
    [1_000n, 25, 0n, 3n], // 2.5 → 3 (half-up)
    [1_000n, 15, 0n, 2n], // 1.5 → 2
    [1_001n, 10, 0n, 1n], // 1.001 → 1
    [20n, 290, 30n, 20n], // never more than the amount
  ])('rounds the fee of %p at %p bps (+%p) half-up to %p', (amount, bps, fixed, fee) => {
    expect(captureFee({ amountCaptured: amount, feeBps: bps, feeFixed: fixed })).toBe(fee);
  });

  it('leaves no merchant line when the fee takes the whole amount', () => {
    const postings = capturePostings({
      provider: 'stripe', merchantId: 'mer_a', currency: 'USD', amountCaptured: 20n, feeBps: 290, feeFixed: 30n,
    });
    expect(lines(postings)).toEqual(['psp_receivable:stripe/USD debit 20', 'platform_fees:mer_a/USD credit 20']);
    expect(isBalanced(postings)).toBe(true);
  });

  it('books JPY (exponent 0) in whole yen with no fixed fee', () => {
    const postings = capturePostings({
      provider: 'stripe', merchantId: 'mer_j', currency: 'JPY', amountCaptured: 1_234n, feeBps: 360, feeFixed: 0n,
    });
    // 3.6% of ¥1234 = 44.424 → 44.
    expect(lines(postings)).toEqual([
      'psp_receivable:stripe/JPY debit 1234',
      'merchant_payable:mer_j/JPY credit 1190',
      'platform_fees:mer_j/JPY credit 44',
    ]);
  });

  it('books KWD (exponent 3) in fils', () => {
    const postings = capturePostings({
      provider: 'adyen', merchantId: 'mer_k', currency: 'KWD', amountCaptured: 12_345n, feeBps: 290, feeFixed: 0n,
    });
    // 2.9% of 12.345 KWD = 358.005 fils → 358.
    expect(lines(postings)).toEqual([
      'psp_receivable:adyen/KWD debit 12345',
      'merchant_payable:mer_k/KWD credit 11987',
      'platform_fees:mer_k/KWD credit 358',
    ]);
  });

  it('refuses a capture of zero', () => {
    expect(() =>
      capturePostings({ provider: 'stripe', merchantId: 'm', currency: 'USD', amountCaptured: 0n, feeBps: 0, feeFixed: 0n }),
    ).toThrow(RangeError);
  });
});

describe('refund', () => {
  it('takes the refund from the merchant and returns it to the PSP, keeping the fee', () => {
    const postings = refundPostings({ provider: 'stripe', merchantId: 'mer_a', currency: 'USD', amount: 5_000n });
    expect(lines(postings)).toEqual(['merchant_payable:mer_a/USD debit 5000', 'psp_receivable:stripe/USD credit 5000']);
    expect(isBalanced(postings)).toBe(true);
  });
});

describe('authorization holds (two-phase)', () => {
  const intent = {
    id: 'pi_1', object: 'payment_intent' as const, merchant_id: 'mer_a', amount: 10_000, currency: 'USD',
    status: 'authorized' as const, capture_method: 'manual' as const, amount_capturable: 10_000, amount_received: 0,
    amount_refunded: 0, payment_method: 'pm_card_visa', provider: 'stripe' as const, last_error: null,
    description: null, metadata: {}, created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z',
  };
  const envelope = { source: 'intents', aggregate_type: 'payment_intent', aggregate_id: 'pi_1', aggregate_version: 1, merchant_id: 'mer_a' };
  const authorized = createEvent({
    ...envelope, type: 'payment_intent.authorized', data: { intent, provider: 'stripe', amount_authorized: 10_000 },
  }) as MoneyEvent;
  const hold = { provider: 'stripe', merchantId: 'mer_a', currency: 'USD', amount: 10_000n };

  it('holds the gross authorized amount as pending', () => {
    const entry = planEntry(authorized, () => undefined)!;
    expect(entry.kind).toBe('authorization_hold');
    expect(lines(entry.postings)).toEqual([
      'psp_receivable:stripe/USD debit 10000 pending',
      'merchant_payable:mer_a/USD credit 10000 pending',
    ]);
    expect(isBalanced(entry.postings)).toBe(true);
  });

  it('books nothing for a second authorization while one is held', () => {
    expect(planEntry(authorized, () => hold)).toBeNull();
  });

  it('voids the hold and books the captured part with its own fee on a partial capture', () => {
    const captured = createEvent({
      ...envelope, type: 'payment_intent.captured',
      data: { intent: { ...intent, status: 'captured' }, provider: 'stripe', amount_captured: 4_000, fee_bps: 290, fee_fixed: 30 },
    }) as MoneyEvent;
    const entry = planEntry(captured, () => hold)!;
    expect(entry.voidsHold).toBe(true);
    expect(lines(entry.postings)).toEqual([
      'psp_receivable:stripe/USD debit 4000',
      'merchant_payable:mer_a/USD credit 3854',
      'platform_fees:mer_a/USD credit 146',
      'psp_receivable:stripe/USD credit 10000 pending',
      'merchant_payable:mer_a/USD debit 10000 pending',
    ]);
    expect(isBalanced(entry.postings)).toBe(true);
  });

  it('voids the pending entry on cancel, and books nothing when nothing was held', () => {
    const canceled = createEvent({
      ...envelope, type: 'payment_intent.canceled', data: { intent: { ...intent, status: 'canceled' }, provider: 'stripe', reason: 'expired' },
    }) as MoneyEvent;
    const entry = planEntry(canceled, () => hold)!;
    expect(entry.kind).toBe('hold_void');
    expect(lines(entry.postings)).toEqual(lines(holdReleasePostings(hold)));
    expect(planEntry(canceled, () => undefined)).toBeNull();
  });

  it('books no hold for an authorization that arrives after the intent was captured or canceled', () => {
    for (const closedAs of ['captured', 'canceled'] as const) {
      expect(planEntry(authorized, () => undefined, () => closedAs)).toBeNull();
      expect(decideEntry(authorized, () => undefined, () => closedAs).skipped).toBe(
        `late authorization: intent pi_1 was already ${closedAs}, no hold booked`,
      );
    }
  });
});
