import { MoneyEvent } from '../src/posting-rules';
import { LedgerFixture } from './ledger-fixture';
import { IntentStory, newId } from './money-events';

/**
 * The PSP's last word in the book (issue 10), through BookWriter and the book_batch function under
 * the ledger's runtime role: reversing entries, re-authorization after a reversed capture, and money
 * a PSP holds for a customer. Each ends with `verify` proving the whole book.
 */
describe("ledger: the PSP's last word", () => {
  const fx = new LedgerFixture();

  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());

  /** Net (debits − credits, posted) of an intent's own entries per account. */
  const netOf = async (intentId: string): Promise<Record<string, bigint>> => {
    const rows: { code: string; net: string }[] = await fx.dataSource.query(
      `SELECT a.code || '/' || a.currency AS code,
              sum(CASE p.direction WHEN 'debit' THEN p.amount ELSE -p.amount END)::text AS net
         FROM entries e JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id
        WHERE e.intent_id = $1 AND NOT p.pending GROUP BY 1 ORDER BY 1`,
      [intentId],
    );
    return Object.fromEntries(rows.map((r) => [r.code.replace(/:mer_\w+\//, ':mer/'), BigInt(r.net)]));
  };
  const kindsOf = async (intentId: string): Promise<string[]> =>
    (await fx.dataSource.query(`SELECT kind FROM entries WHERE intent_id = $1 ORDER BY id`, [intentId])).map(
      (row: { kind: string }) => row.kind,
    );
  const closureOf = async (intentId: string) =>
    (
      await fx.dataSource.query(
        `SELECT closed_as, closed_at_version::int AS version FROM closed_intents WHERE intent_id = $1`,
        [intentId],
      )
    )[0];
  const expectVerified = async () => expect((await fx.verifier.verify()).violations).toEqual([]);
  const bookOneByOne = async (events: MoneyEvent[]) => {
    for (const event of events) await fx.book([event]);
  };

  it('a reversed capture gets its reversing entry (fee included), refunds made stay until their own reversal, and the book verifies', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 10_000, 'EUR', 'adyen');
    await bookOneByOne([story.authorized(), story.captured(10_000, 290, 30), story.refundSucceeded(3_000)]);
    const reversal = story.captureReversed(10_000, 290, 30);
    await fx.book([reversal]);
    await fx.book([reversal]); // idempotent on the source event id

    expect(await kindsOf(story.intent.id)).toEqual([
      'authorization_hold',
      'capture',
      'refund',
      'capture_reversal',
    ]);
    // Capture and its reversal cancel out; the refund is still booked (the PSP has not reversed it yet).
    expect(await netOf(story.intent.id)).toEqual({
      'merchant_payable:mer/EUR': 3_000n,
      'platform_fees:mer/EUR': 0n,
      'psp_receivable:adyen/EUR': -3_000n,
    });
    expect(await closureOf(story.intent.id)).toEqual({ closed_as: 'reopened', version: 4 });

    await fx.book([story.refundReversed()]);
    expect(await netOf(story.intent.id)).toEqual({
      'merchant_payable:mer/EUR': 0n,
      'platform_fees:mer/EUR': 0n,
      'psp_receivable:adyen/EUR': 0n,
    });
    expect(await fx.merchantAccounts(merchantId)).toEqual({
      'merchant_payable/EUR': { posted: 0n, pending: 0n },
      'platform_fees/EUR': { posted: 0n, pending: 0n },
    });
    await expectVerified();
  });

  it.each([
    ['one event per transaction', true],
    ['all in one batch', false],
  ])(
    'after a reversed capture the intent may hold and capture again (%s), while a stale authorization still books nothing',
    async (_, oneByOne) => {
      const merchantId = newId('mer');
      const story = new IntentStory(merchantId, 4_000, 'USD');
      const stale = story.authorized();
      const events = [
        stale,
        story.captured(4_000),
        story.captureReversed(4_000),
        story.authorized(),
        story.captured(4_000),
      ];
      if (oneByOne) await bookOneByOne(events);
      else await fx.book(events);
      await fx.book([stale]); // a redrive of the first authorization: booked already, nothing new
      expect(await kindsOf(story.intent.id)).toEqual([
        'authorization_hold',
        'capture',
        'capture_reversal',
        'authorization_hold',
        'capture',
      ]);
      expect(await closureOf(story.intent.id)).toEqual({ closed_as: 'captured', version: 5 });
      expect(await fx.merchantAccounts(merchantId)).toEqual({
        'merchant_payable/USD': { posted: 3_854n, pending: 0n }, // 4000 − (116 + 30)
        'platform_fees/USD': { posted: 146n, pending: 0n },
      });
      await expectVerified();
    },
  );

  it('a reversal that overtook its capture releases the hold, and the book keeps nothing held', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 2_000, 'USD');
    await bookOneByOne([story.authorized(), story.captureReversed(2_000)]);
    const rows = await fx.dataSource.query(
      `SELECT e.kind, h.kind AS voids FROM entries e LEFT JOIN entries h ON h.id = e.voids_entry_id WHERE e.intent_id = $1 ORDER BY e.id`,
      [story.intent.id],
    );
    expect(rows).toEqual([
      { kind: 'authorization_hold', voids: null },
      { kind: 'capture_reversal', voids: 'authorization_hold' },
    ]);
    expect(await fx.merchantAccounts(merchantId)).toEqual({
      'merchant_payable/USD': { posted: 0n, pending: 0n },
    });
    await expectVerified();
  });

  it('a reversed refund makes the merchant owed it again', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 10_000, 'USD');
    await bookOneByOne([story.authorized(), story.captured(10_000, 0, 0), story.refundSucceeded(4_000)]);
    const first = story.lastRefundId;
    await fx.book([story.refundSucceeded(6_000)]);
    await fx.book([story.refundReversed(first)]);
    expect(await kindsOf(story.intent.id)).toEqual([
      'authorization_hold',
      'capture',
      'refund',
      'refund',
      'refund_reversal',
    ]);
    expect(await fx.merchantAccounts(merchantId)).toEqual({
      'merchant_payable/USD': { posted: 4_000n, pending: 0n },
    });
    await expectVerified();
  });

  it('a late success detected and then reversed nets to zero on the PSP suspense, in either order; a hold only books nothing', async () => {
    for (const detectedFirst of [true, false]) {
      const story = new IntentStory(newId('mer'), 7_500, 'GBP', 'adyen');
      const detected = story.lateSuccess(true, 7_500);
      const reversed = story.lateSuccess(false, 7_500);
      if (detectedFirst) {
        await fx.book([detected]);
        expect(await netOf(story.intent.id)).toEqual({
          'psp_receivable:adyen/GBP': 7_500n,
          'psp_suspense:adyen/GBP': -7_500n,
        });
        await fx.book([reversed]);
      } else {
        await fx.book([reversed, detected]);
      }
      expect(await kindsOf(story.intent.id)).toEqual(
        detectedFirst ? ['late_success', 'late_success_reversal'] : ['late_success_reversal', 'late_success'],
      );
      expect(await netOf(story.intent.id)).toEqual({
        'psp_receivable:adyen/GBP': 0n,
        'psp_suspense:adyen/GBP': 0n,
      });
    }
    const [account] = await fx.dataSource.query(
      `SELECT type, provider, merchant_id FROM accounts WHERE code = 'psp_suspense:adyen' AND currency = 'GBP'`,
    );
    expect(account).toEqual({ type: 'liability', provider: 'adyen', merchant_id: null });

    const hold = new IntentStory(newId('mer'), 1_000, 'USD');
    const booked = await fx.book([hold.lateSuccess(true, 0), hold.lateSuccess(false, 0)]);
    expect(booked).toEqual([]);
    expect(await kindsOf(hold.intent.id)).toEqual([]);
    await expectVerified();
  });
});
