import { IntentStory } from '../../test/money-events';
import { IntentClosure } from '../posting-rules';
import { planBatch } from './batch-plan';
import { OpenHold } from './book-snapshot';

const emptyBook = () => ({ holds: new Map<string, OpenHold>(), closed: new Map<string, IntentClosure>() });

describe('planning a batch', () => {
  it('voids a hold booked earlier in the same batch by its position in the batch', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const plan = planBatch([story.authorized(), story.captured(5_000)], emptyBook());
    expect(plan.entries.map((p) => p.entry.kind)).toEqual(['authorization_hold', 'capture']);
    expect(plan.entries[1].voids).toEqual({ batchIndex: 1 });
    expect(plan.closures).toEqual([
      { intentId: story.intent.id, eventId: plan.entries[1].event.id, closedAs: 'captured', version: 2 },
    ]);
  });

  it('voids a hold already in the book by its entry id', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const book = emptyBook();
    book.holds.set(story.intent.id, {
      entryId: '42',
      facts: { provider: 'stripe', merchantId: 'mer_a', currency: 'USD', amount: 5_000n },
    });
    const plan = planBatch([story.canceled()], book);
    expect(plan.entries[0].entry.kind).toBe('hold_void');
    expect(plan.entries[0].voids).toEqual({ entryId: '42' });
  });

  it('books no hold for a late authorization of an intent the book saw captured, and says why', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const authorized = story.authorized();
    const book = emptyBook();
    book.closed.set(story.intent.id, { closedAs: 'captured', version: 9 });
    const plan = planBatch([authorized], book);
    expect(plan.entries).toEqual([]);
    expect(plan.skipped).toEqual([
      { event: authorized, reason: expect.stringMatching(/late authorization: .* already captured/) },
    ]);
  });

  it('books no hold for an authorization that follows a cancel in the same batch', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const authorized = story.authorized();
    const plan = planBatch([story.canceled(), authorized], emptyBook());
    expect(plan.entries).toEqual([]);
    expect(plan.closures.map((c) => c.closedAs)).toEqual(['canceled']);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/no open authorization hold/),
      expect.stringMatching(/late authorization: .* already canceled/),
    ]);
  });

  it('records a cancel that releases nothing, so a later authorization still books nothing', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const first = planBatch([story.canceled()], emptyBook());
    expect(first.entries).toEqual([]);
    expect(first.toFunctionArgument()).toMatchObject({
      entries: [],
      closed_intents: [{ intent_id: story.intent.id, closed_as: 'canceled', version: 1 }],
    });
  });

  it('keeps the first closure of an intent', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const book = emptyBook();
    book.closed.set(story.intent.id, { closedAs: 'captured', version: 9 });
    expect(planBatch([story.canceled()], book).closures).toEqual([]);
  });

  it('books an event given twice in one batch once', () => {
    const story = new IntentStory('mer_a', 5_000, 'USD');
    const captured = story.captured(5_000);
    expect(planBatch([captured, captured], emptyBook()).entries).toHaveLength(1);
  });

  it('passes amounts as strings and each account once to the database function', () => {
    const a = new IntentStory('mer_a', 5_000, 'USD');
    const b = new IntentStory('mer_a', 7_000, 'USD');
    const argument = planBatch([a.captured(5_000), b.captured(7_000)], emptyBook()).toFunctionArgument() as {
      accounts: { code: string }[];
      entries: { postings: { amount: unknown }[] }[];
    };
    expect(argument.accounts.map((row) => row.code).sort()).toEqual([
      'merchant_payable:mer_a',
      'platform_fees:mer_a',
      'psp_receivable:stripe',
    ]);
    expect(argument.entries[0].postings.every((line) => typeof line.amount === 'string')).toBe(true);
  });

  describe("the PSP's last word", () => {
    it('a reversed capture reopens the intent within the batch: a new authorization and capture book, in order', () => {
      const story = new IntentStory('mer_a', 5_000, 'USD', 'adyen');
      const events = [
        story.authorized(),
        story.captured(5_000),
        story.captureReversed(5_000),
        story.authorized(),
        story.captured(5_000),
      ];
      const plan = planBatch(events, emptyBook());
      expect(plan.entries.map((p) => p.entry.kind)).toEqual([
        'authorization_hold',
        'capture',
        'capture_reversal',
        'authorization_hold',
        'capture',
      ]);
      expect(plan.entries[4].voids).toEqual({ batchIndex: 4 });
      expect(plan.closures.map((c) => [c.closedAs, c.version])).toEqual([
        ['captured', 2],
        ['reopened', 3],
        ['captured', 5],
      ]);
      const argument = plan.toFunctionArgument() as {
        closed_intents: { closed_as: string; version: number }[];
      };
      expect(argument.closed_intents.map((c) => c.closed_as)).toEqual(['captured', 'reopened', 'captured']);
    });

    it('a reversed capture of an intent the book saw captured reopens it; an authorization older than the reopening still books nothing', () => {
      const story = new IntentStory('mer_a', 5_000, 'USD');
      const stale = story.authorized(); // 1
      story.captured(5_000); // 2
      const book = emptyBook();
      book.closed.set(story.intent.id, { closedAs: 'captured', version: 2 });
      const plan = planBatch([story.captureReversed(5_000), stale, story.authorized()], book);
      expect(plan.entries.map((p) => p.entry.kind)).toEqual(['capture_reversal', 'authorization_hold']);
      expect(plan.skipped.map((s) => s.reason)).toEqual([
        expect.stringMatching(/reopened after this authorization/),
      ]);
    });

    it('a second reversal of the same capture books nothing', () => {
      const story = new IntentStory('mer_a', 5_000, 'USD');
      const book = emptyBook();
      book.closed.set(story.intent.id, { closedAs: 'captured', version: 2 });
      const plan = planBatch([story.captureReversed(5_000), story.captureReversed(5_000)], book);
      expect(plan.entries.map((p) => p.entry.kind)).toEqual(['capture_reversal']);
      expect(plan.skipped.map((s) => s.reason)).toEqual([
        expect.stringMatching(/no booked capture to reverse \(it is reopened\)/),
      ]);
    });

    it('opens psp_suspense as a provider account', () => {
      const story = new IntentStory('mer_a', 5_000, 'USD');
      const argument = planBatch([story.lateSuccess(true, 5_000)], emptyBook()).toFunctionArgument() as {
        accounts: {
          code: string;
          kind: string;
          type: string;
          merchant_id: string | null;
          provider: string | null;
        }[];
      };
      expect(argument.accounts).toContainEqual({
        code: 'psp_suspense:stripe',
        currency: 'USD',
        kind: 'psp_suspense',
        type: 'liability',
        merchant_id: null,
        provider: 'stripe',
      });
    });
  });
});
