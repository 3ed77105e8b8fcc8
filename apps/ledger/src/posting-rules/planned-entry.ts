import { AccountKey } from './accounts';

export type Direction = 'debit' | 'credit';

/**
 * One line of a journal entry. `pending` lines move the pending (two-phase) columns of an account;
 * the others its posted balance. Debits equal credits per currency and per phase in every entry.
 */
export interface PlannedPosting {
  account: AccountKey;
  direction: Direction;
  /** Minor units of `account.currency`, always > 0. */
  amount: bigint;
  pending: boolean;
}

export type EntryKind =
  | 'authorization_hold'
  | 'capture'
  | 'refund'
  | 'hold_void'
  // The PSP's last word (issue 10): reversing entries, and money a PSP holds for a customer.
  | 'capture_reversal'
  | 'refund_reversal'
  | 'late_success'
  | 'late_success_reversal';

export interface PlannedEntry {
  kind: EntryKind;
  merchantId: string;
  intentId: string;
  /** Id of the event that caused the entry: posting is idempotent on it. */
  sourceEventId: string;
  /** The pending authorization entry this one settles (capture or void), if any. */
  voidsHold: boolean;
  postings: PlannedPosting[];
}
