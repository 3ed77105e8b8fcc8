import fc from 'fast-check';
import { feeMinor } from '@payflow/contracts';
import { inTransaction } from '@payflow/platform/database';
import { MoneyEvent } from '../src/posting-rules';
import { LedgerFixture } from './ledger-fixture';
import { IntentStory, newId } from './money-events';

/**
 * The seed's TestLedgerInvariants, property-based on the real database: random captures, partial
 * refunds, cancels and duplicate deliveries, booked in random batches.
 */
const paymentArb = fc.record({
  currency: fc.constantFrom('USD', 'JPY', 'KWD'),
  amount: fc.integer({ min: 1, max: 5_000_000 }),
  outcome: fc.constantFrom('capture', 'cancel', 'hold'),
  captureShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
  refundShares: fc.array(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { maxLength: 3 }),
  feeBps: fc.integer({ min: 0, max: 1_000 }),
  feeFixed: fc.integer({ min: 0, max: 100 }),
});

type PaymentCase = typeof paymentArb extends fc.Arbitrary<infer T> ? T : never;

interface Expected {
  available: Map<string, bigint>;
  pending: Map<string, bigint>;
  fees: Map<string, bigint>;
}

function storyEvents(p: PaymentCase, merchantId: string, expected: Expected): MoneyEvent[] {
  const story = new IntentStory(merchantId, p.amount, p.currency);
  const events = [story.authorized()];
  const add = (map: Map<string, bigint>, value: bigint) => map.set(p.currency, (map.get(p.currency) ?? 0n) + value);
  if (p.outcome === 'hold') {
    add(expected.pending, BigInt(p.amount));
  } else if (p.outcome === 'cancel') {
    events.push(story.canceled());
  } else {
    const captured = Math.max(1, Math.floor(p.amount * p.captureShare));
    const fee = feeMinor(captured, p.feeBps, p.currency === 'JPY' ? 0 : p.feeFixed);
    events.push(story.captured(captured, p.feeBps, p.currency === 'JPY' ? 0 : p.feeFixed));
    add(expected.available, BigInt(captured) - fee);
    add(expected.fees, fee);
    let refundable = captured;
    for (const share of p.refundShares) {
      const refund = Math.floor(captured * share);
      if (refund < 1 || refund > refundable) continue;
      refundable -= refund;
      events.push(story.refundSucceeded(refund));
      add(expected.available, -BigInt(refund));
    }
  }
  return events;
}

describe('ledger invariants (property-based)', () => {
  const fx = new LedgerFixture();
  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());

  it('balances, keeps balances equal to postings, and ignores replays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(paymentArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        async (payments, batchSizes, duplicateFlags) => {
          const merchantId = newId('mer');
          const expected: Expected = { available: new Map(), pending: new Map(), fees: new Map() };
          const perIntent = payments.map((p) => storyEvents(p, merchantId, expected));
          // Interleave payments, keeping each payment's own order, and deliver some events twice.
          const stream: MoneyEvent[] = [];
          for (let round = 0; perIntent.some((events) => events.length > 0); round++) {
            for (const events of perIntent) {
              const next = events.shift();
              if (!next) continue;
              stream.push(next);
              if (duplicateFlags[stream.length % duplicateFlags.length]) stream.push(next);
            }
          }
          for (let i = 0, b = 0; i < stream.length; b++) {
            const size = batchSizes[b % batchSizes.length];
            await fx.book(stream.slice(i, i + size));
            i += size;
          }

          const report = await fx.verifier.verify();
          expect(report.violations).toEqual([]);
          const accounts = await fx.merchantAccounts(merchantId);
          for (const [currency, amount] of expected.available) {
            expect(accounts[`merchant_payable/${currency}`]?.posted ?? 0n).toBe(amount);
          }
          for (const [currency, amount] of expected.fees) {
            expect(accounts[`platform_fees/${currency}`]?.posted ?? 0n).toBe(amount);
          }
          for (const currency of ['USD', 'JPY', 'KWD']) {
            expect(accounts[`merchant_payable/${currency}`]?.pending ?? 0n).toBe(expected.pending.get(currency) ?? 0n);
          }

          // Replaying every event again books nothing and moves no balance.
          const entriesBefore = await fx.entryCount(merchantId);
          const replayed = await inTransaction(fx.dataSource, (tx) => fx.writer.book(tx, stream));
          expect(replayed.every((r) => !r.created)).toBe(true);
          expect(await fx.entryCount(merchantId)).toBe(entriesBefore);
          expect(await fx.merchantAccounts(merchantId)).toEqual(accounts);
        },
      ),
      { numRuns: 25 },
    );
  });
});
