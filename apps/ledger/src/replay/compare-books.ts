/**
 * Pure comparison of two books: entries matched by their source event id (same kind, same hold
 * voided, same postings: account, currency, direction, amount, phase) and accounts by code and
 * currency (same four running totals).
 */

export interface BookEntry {
  sourceEventId: string;
  kind: string;
  merchantId: string;
  intentId: string | null;
  /** Source event id of the hold this entry voids. */
  voidsSourceEventId: string | null;
  postings: BookPosting[];
}

export interface BookPosting {
  account: string;
  currency: string;
  direction: string;
  amount: string;
  pending: boolean;
}

export interface BookAccount {
  code: string;
  currency: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
}

export interface BookContents {
  entries: BookEntry[];
  accounts: BookAccount[];
}

export type BookDifference =
  | { type: 'entry_missing'; sourceEventId: string; expected: string }
  | { type: 'entry_unexpected'; sourceEventId: string; actual: string }
  | { type: 'entry_differs'; sourceEventId: string; field: string; expected: string; actual: string }
  | { type: 'posting_missing'; sourceEventId: string; posting: string }
  | { type: 'posting_unexpected'; sourceEventId: string; posting: string }
  | { type: 'balance_differs'; account: string; expected: string; actual: string };

export function postingLine(posting: BookPosting): string {
  return `${posting.direction} ${posting.account}/${posting.currency} ${posting.amount}${posting.pending ? ' pending' : ''}`;
}

function entryLine(entry: BookEntry): string {
  return `${entry.kind} of ${entry.intentId ?? '-'} (${entry.merchantId}): ${entry.postings.map(postingLine).join(', ')}`;
}

function balanceLine(account: BookAccount | undefined): string {
  if (!account) return 'no account';
  return `debits ${account.debitsPosted}, credits ${account.creditsPosted}, pending debits ${account.debitsPending}, pending credits ${account.creditsPending}`;
}

/** Multiset difference of posting lines: what `a` has more of than `b`. */
function linesNotIn(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const line of b) left.set(line, (left.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    return n === 0;
  });
}

/** Differences of `actual` (the live book) from `expected` (the replayed one). */
export function compareBooks(expected: BookContents, actual: BookContents): BookDifference[] {
  const differences: BookDifference[] = [];
  const actualEntries = new Map(actual.entries.map((entry) => [entry.sourceEventId, entry]));
  for (const want of expected.entries) {
    const got = actualEntries.get(want.sourceEventId);
    actualEntries.delete(want.sourceEventId);
    if (!got) {
      differences.push({ type: 'entry_missing', sourceEventId: want.sourceEventId, expected: entryLine(want) });
      continue;
    }
    for (const field of ['kind', 'merchantId', 'intentId', 'voidsSourceEventId'] as const) {
      if (want[field] !== got[field]) {
        differences.push({ type: 'entry_differs', sourceEventId: want.sourceEventId, field, expected: String(want[field]), actual: String(got[field]) });
      }
    }
    const wantLines = want.postings.map(postingLine);
    const gotLines = got.postings.map(postingLine);
    for (const posting of linesNotIn(wantLines, gotLines)) differences.push({ type: 'posting_missing', sourceEventId: want.sourceEventId, posting });
    for (const posting of linesNotIn(gotLines, wantLines)) differences.push({ type: 'posting_unexpected', sourceEventId: want.sourceEventId, posting });
  }
  for (const extra of actualEntries.values()) {
    differences.push({ type: 'entry_unexpected', sourceEventId: extra.sourceEventId, actual: entryLine(extra) });
  }

  const key = (account: BookAccount) => `${account.code}/${account.currency}`;
  const actualAccounts = new Map(actual.accounts.map((account) => [key(account), account]));
  const expectedAccounts = new Map(expected.accounts.map((account) => [key(account), account]));
  for (const name of new Set([...expectedAccounts.keys(), ...actualAccounts.keys()])) {
    const want = balanceLine(expectedAccounts.get(name));
    const got = balanceLine(actualAccounts.get(name));
    if (want !== got) differences.push({ type: 'balance_differs', account: name, expected: want, actual: got });
  }
  return differences;
}

/** One line per difference, for people. */
export function describeDifference(difference: BookDifference): string {
  switch (difference.type) {
    case 'entry_missing':
      return `entry of event ${difference.sourceEventId} is missing from the book; replay booked: ${difference.expected}`;
    case 'entry_unexpected':
      return `entry of event ${difference.sourceEventId} is in the book but the topic does not explain it: ${difference.actual}`;
    case 'entry_differs':
      return `entry of event ${difference.sourceEventId}: ${difference.field} is ${difference.actual}, replay has ${difference.expected}`;
    case 'posting_missing':
      return `entry of event ${difference.sourceEventId}: posting "${difference.posting}" is missing from the book`;
    case 'posting_unexpected':
      return `entry of event ${difference.sourceEventId}: posting "${difference.posting}" is in the book, replay has no such posting`;
    case 'balance_differs':
      return `account ${difference.account}: book has ${difference.actual}; replay has ${difference.expected}`;
  }
}
