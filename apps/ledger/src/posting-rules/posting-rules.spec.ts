import { createEvent } from '@payflow/contracts';
import { IntentStory } from '../../test/money-events';
import { accountIdentity, accountScopeOf, accountTypeOf } from './accounts';
import { MoneyEvent, decideEntry, planEntry, replacesClosure } from './plan-entry';
import { PlannedPosting } from './planned-entry';
import {
  captureFee,
  captureReversalPostings,
  capturePostings,
  holdReleasePostings,
  isBalanced,
  lateSuccessPostings,
  lateSuccessReversalPostings,
  refundPostings,
  refundReversalPostings,
} from './posting-rules';

/** "kind:owner/CUR debit 100" lines, easy to compare. */
function lines(postings: PlannedPosting[]): string[] {
  return postings.map(
    (p) => `${accountIdentity(p.account)} ${p.direction} ${p.amount}${p.pending ? ' pending' : ''}`,
  );
}

describe('capture', () => {
  it('books gross to the PSP, net to the merchant and the fee to the platform', () => {
    const postings = capturePostings({
      provider: 'stripe',
      merchantId: 'mer_a',
      currency: 'USD',
      amountCaptured: 10_000n,
      feeBps: 290,
      feeFixed: 30n,
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
      provider: 'adyen',
      merchantId: 'mer_a',
      currency: 'EUR',
      amountCaptured: 6_000n,
      feeBps: 290,
      feeFixed: 25n,
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
      provider: 'stripe',
      merchantId: 'mer_a',
      currency: 'USD',
      amountCaptured: 20n,
      feeBps: 290,
      feeFixed: 30n,
    });
    expect(lines(postings)).toEqual([
      'psp_receivable:stripe/USD debit 20',
      'platform_fees:mer_a/USD credit 20',
    ]);
    expect(isBalanced(postings)).toBe(true);
  });

  it('books JPY (exponent 0) in whole yen with no fixed fee', () => {
    const postings = capturePostings({
      provider: 'stripe',
      merchantId: 'mer_j',
      currency: 'JPY',
      amountCaptured: 1_234n,
      feeBps: 360,
      feeFixed: 0n,
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
      provider: 'adyen',
      merchantId: 'mer_k',
      currency: 'KWD',
      amountCaptured: 12_345n,
      feeBps: 290,
      feeFixed: 0n,
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
      capturePostings({
        provider: 'stripe',
        merchantId: 'm',
        currency: 'USD',
        amountCaptured: 0n,
        feeBps: 0,
        feeFixed: 0n,
      }),
    ).toThrow(RangeError);
  });
});

describe('refund', () => {
  it('takes the refund from the merchant and returns it to the PSP, keeping the fee', () => {
    const postings = refundPostings({
      provider: 'stripe',
      merchantId: 'mer_a',
      currency: 'USD',
      amount: 5_000n,
    });
    expect(lines(postings)).toEqual([
      'merchant_payable:mer_a/USD debit 5000',
      'psp_receivable:stripe/USD credit 5000',
    ]);
    expect(isBalanced(postings)).toBe(true);
  });
});

describe('authorization holds (two-phase)', () => {
  const intent = {
    id: 'pi_1',
    object: 'payment_intent' as const,
    merchant_id: 'mer_a',
    amount: 10_000,
    currency: 'USD',
    status: 'authorized' as const,
    capture_method: 'manual' as const,
    amount_capturable: 10_000,
    amount_received: 0,
    amount_refunded: 0,
    payment_method: 'pm_card_visa',
    provider: 'stripe' as const,
    last_error: null,
    description: null,
    metadata: {},
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:00Z',
  };
  const envelope = {
    source: 'intents',
    aggregate_type: 'payment_intent',
    aggregate_id: 'pi_1',
    aggregate_version: 1,
    merchant_id: 'mer_a',
  };
  const authorized = createEvent({
    ...envelope,
    type: 'payment_intent.authorized',
    data: { intent, provider: 'stripe', amount_authorized: 10_000 },
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
      ...envelope,
      type: 'payment_intent.captured',
      data: {
        intent: { ...intent, status: 'captured' },
        provider: 'stripe',
        amount_captured: 4_000,
        fee_bps: 290,
        fee_fixed: 30,
      },
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
      ...envelope,
      type: 'payment_intent.canceled',
      data: { intent: { ...intent, status: 'canceled' }, provider: 'stripe', reason: 'expired' },
    }) as MoneyEvent;
    const entry = planEntry(canceled, () => hold)!;
    expect(entry.kind).toBe('hold_void');
    expect(lines(entry.postings)).toEqual(lines(holdReleasePostings(hold)));
    expect(planEntry(canceled, () => undefined)).toBeNull();
  });

  it('books no hold for an authorization that arrives after the intent was captured or canceled', () => {
    for (const closedAs of ['captured', 'canceled'] as const) {
      expect(
        planEntry(
          authorized,
          () => undefined,
          () => ({ closedAs, version: 2 }),
        ),
      ).toBeNull();
      expect(
        decideEntry(
          authorized,
          () => undefined,
          () => ({ closedAs, version: 2 }),
        ).skipped,
      ).toBe(`late authorization: intent pi_1 was already ${closedAs}, no hold booked`);
    }
  });
});

describe("the PSP's last word", () => {
  const capture = {
    provider: 'adyen',
    merchantId: 'mer_a',
    currency: 'EUR',
    amountCaptured: 6_000n,
    feeBps: 290,
    feeFixed: 25n,
  };

  it('reverses a capture line by line, fee included, from the schedule it was booked with', () => {
    const postings = captureReversalPostings(capture);
    expect(lines(postings)).toEqual([
      'psp_receivable:adyen/EUR credit 6000',
      'merchant_payable:mer_a/EUR debit 5801',
      'platform_fees:mer_a/EUR debit 199',
    ]);
    expect(isBalanced(postings)).toBe(true);
    // capture + reversal nets every account to zero
    const net = new Map<string, bigint>();
    for (const p of [...capturePostings(capture), ...postings]) {
      const key = accountIdentity(p.account);
      net.set(key, (net.get(key) ?? 0n) + (p.direction === 'debit' ? p.amount : -p.amount));
    }
    expect([...net.values()].every((v) => v === 0n)).toBe(true);
  });

  it('reverses a capture whose fee took the whole amount without a merchant line', () => {
    const postings = captureReversalPostings({ ...capture, amountCaptured: 20n, feeBps: 290, feeFixed: 30n });
    expect(lines(postings)).toEqual([
      'psp_receivable:adyen/EUR credit 20',
      'platform_fees:mer_a/EUR debit 20',
    ]);
  });

  it('reverses a refund: the PSP owes it again, and so does PayFlow to the merchant', () => {
    const postings = refundReversalPostings({
      provider: 'stripe',
      merchantId: 'mer_a',
      currency: 'USD',
      amount: 3_000n,
    });
    expect(lines(postings)).toEqual([
      'merchant_payable:mer_a/USD credit 3000',
      'psp_receivable:stripe/USD debit 3000',
    ]);
    expect(isBalanced(postings)).toBe(true);
  });

  it('books a late success as owed back to the customer (psp_suspense, a provider liability), and its reversal the opposite', () => {
    const facts = { provider: 'stripe', currency: 'USD', amountCaptured: 10_000n };
    expect(lines(lateSuccessPostings(facts))).toEqual([
      'psp_receivable:stripe/USD debit 10000',
      'psp_suspense:stripe/USD credit 10000',
    ]);
    expect(lines(lateSuccessReversalPostings(facts))).toEqual([
      'psp_receivable:stripe/USD credit 10000',
      'psp_suspense:stripe/USD debit 10000',
    ]);
    expect(accountTypeOf('psp_suspense')).toBe('liability');
    expect(accountScopeOf('psp_suspense')).toBe('provider');
    expect(() => lateSuccessPostings({ ...facts, amountCaptured: 0n })).toThrow(RangeError);
  });

  describe('deciding the entries', () => {
    const hold = { provider: 'stripe', merchantId: 'mer_a', currency: 'USD', amount: 10_000n };
    const noHold = () => undefined;

    it('a reversed capture reverses the booked capture', () => {
      const story = new IntentStory('mer_a', 10_000, 'USD');
      const decision = decideEntry(story.captureReversed(10_000, 290, 30), noHold, () => ({
        closedAs: 'captured',
        version: 3,
      }));
      expect(decision.entry).toMatchObject({
        kind: 'capture_reversal',
        voidsHold: false,
        intentId: story.intent.id,
      });
      expect(lines(decision.entry!.postings)).toEqual([
        'psp_receivable:stripe/USD credit 10000',
        'merchant_payable:mer_a/USD debit 9680',
        'platform_fees:mer_a/USD debit 320',
      ]);
    });

    it('a reversal that overtook its capture releases the authorization hold instead', () => {
      const story = new IntentStory('mer_a', 10_000, 'USD');
      const decision = decideEntry(
        story.captureReversed(10_000),
        () => hold,
        () => undefined,
      );
      expect(decision.entry).toMatchObject({ kind: 'capture_reversal', voidsHold: true });
      expect(lines(decision.entry!.postings)).toEqual(lines(holdReleasePostings(hold)));
    });

    it.each([
      [undefined, `has no booked capture to reverse`],
      [{ closedAs: 'reopened' as const, version: 4 }, `has no booked capture to reverse (it is reopened)`],
      [{ closedAs: 'canceled' as const, version: 4 }, `has no booked capture to reverse (it is canceled)`],
    ])('a reversed capture with nothing booked to reverse books nothing (%j)', (closure, reason) => {
      const story = new IntentStory('mer_a', 10_000, 'USD');
      expect(decideEntry(story.captureReversed(10_000), noHold, () => closure)).toEqual({
        entry: null,
        skipped: `intent ${story.intent.id} ${reason}`,
      });
    });

    it('a reversed refund books the refund reversal', () => {
      const story = new IntentStory('mer_a', 10_000, 'USD', 'adyen');
      story.refundSucceeded(2_500);
      const decision = decideEntry(story.refundReversed(), noHold);
      expect(decision.entry).toMatchObject({ kind: 'refund_reversal', intentId: story.intent.id });
      expect(lines(decision.entry!.postings)).toEqual([
        'merchant_payable:mer_a/USD credit 2500',
        'psp_receivable:adyen/USD debit 2500',
      ]);
    });

    it('late successes book what was captured, and nothing for a hold only (and say so)', () => {
      const story = new IntentStory('mer_a', 10_000, 'USD');
      expect(decideEntry(story.lateSuccess(true, 10_000), noHold).entry?.kind).toBe('late_success');
      expect(decideEntry(story.lateSuccess(false, 10_000), noHold).entry?.kind).toBe('late_success_reversal');
      for (const detected of [true, false]) {
        const decision = decideEntry(story.lateSuccess(detected, 0), noHold);
        expect(decision.entry).toBeNull();
        expect(decision.skipped).toMatch(/captured nothing \(a hold only\)/);
      }
    });

    it('an intent reopened by a reversed capture books the hold of a newer authorization, not of an older one', () => {
      const story = new IntentStory('mer_a', 10_000, 'USD');
      const old = story.authorized(); // version 1
      const reopened = { closedAs: 'reopened' as const, version: 3 };
      story.captured(10_000); // 2
      story.captureReversed(10_000); // 3
      const again = story.authorized(); // 4
      expect(decideEntry(again, noHold, () => reopened).entry?.kind).toBe('authorization_hold');
      expect(decideEntry(old, noHold, () => reopened).skipped).toBe(
        `late authorization: intent ${story.intent.id} was reopened after this authorization, no hold booked`,
      );
      // a closure recorded before versions were kept reopens nothing
      expect(decideEntry(again, noHold, () => ({ closedAs: 'reopened', version: null })).entry).toBeNull();
    });
  });

  it.each([
    [undefined, 'captured', true],
    [undefined, 'reopened', true],
    ['captured', 'canceled', false],
    ['canceled', 'captured', false],
    ['captured', 'captured', false],
    ['captured', 'reopened', true],
    ['reopened', 'captured', true],
    ['reopened', 'canceled', true],
    ['reopened', 'reopened', true],
  ] as const)('closure %s followed by %s replaces it: %s', (current, next, replaces) => {
    expect(
      replacesClosure(current ? { closedAs: current, version: 1 } : undefined, {
        closedAs: next,
        version: 2,
      }),
    ).toBe(replaces);
  });
});
