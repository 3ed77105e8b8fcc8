import { feeMinor } from '@payflow/contracts';
import { AccountKey, merchantPayable, platformFees, pspReceivable, pspSuspense } from './accounts';
import { PlannedPosting } from './planned-entry';

/**
 * PayFlow's posting rules (DESIGN.md, Ledger), as pure functions of the event's facts. Nothing here
 * reads the clock or today's fee schedule: the fee comes from the schedule the event carries, so a
 * replay books exactly what the first delivery booked.
 */

export interface HoldFacts {
  provider: string;
  merchantId: string;
  currency: string;
  /** Gross authorized amount held. */
  amount: bigint;
}

/** Authorization: the gross amount held as pending on the PSP receivable and the merchant payable. */
export function authorizationHoldPostings(hold: HoldFacts): PlannedPosting[] {
  assertPositive(hold.amount, 'authorized amount');
  return transfer(
    pspReceivable(hold.provider, hold.currency),
    merchantPayable(hold.merchantId, hold.currency),
    hold.amount,
    true,
  );
}

/** Releases a hold (capture, cancel, expiry): the pending lines reversed. */
export function holdReleasePostings(hold: HoldFacts): PlannedPosting[] {
  return swapped(authorizationHoldPostings(hold));
}

export interface CaptureFacts {
  provider: string;
  merchantId: string;
  currency: string;
  amountCaptured: bigint;
  feeBps: number;
  /** The schedule's fixed fee for this currency (0 where it names none). */
  feeFixed: bigint;
}

/** The fee of a capture: fee_bps of the amount rounded half-up, plus the fixed fee, at most the amount. */
export function captureFee(facts: Pick<CaptureFacts, 'amountCaptured' | 'feeBps' | 'feeFixed'>): bigint {
  return feeMinor(facts.amountCaptured, facts.feeBps, facts.feeFixed);
}

/**
 * Capture of X with fee F: debit psp_receivable X, credit merchant_payable X − F, credit
 * platform_fees F (lines of zero are left out: a fee that eats the whole amount leaves no payable).
 */
export function capturePostings(facts: CaptureFacts): PlannedPosting[] {
  assertPositive(facts.amountCaptured, 'captured amount');
  const fee = captureFee(facts);
  const net = facts.amountCaptured - fee;
  const lines: PlannedPosting[] = [
    {
      account: pspReceivable(facts.provider, facts.currency),
      direction: 'debit',
      amount: facts.amountCaptured,
      pending: false,
    },
  ];
  if (net > 0n) {
    lines.push({
      account: merchantPayable(facts.merchantId, facts.currency),
      direction: 'credit',
      amount: net,
      pending: false,
    });
  }
  if (fee > 0n) {
    lines.push({
      account: platformFees(facts.merchantId, facts.currency),
      direction: 'credit',
      amount: fee,
      pending: false,
    });
  }
  return lines;
}

export interface RefundFacts {
  provider: string;
  merchantId: string;
  currency: string;
  amount: bigint;
}

/** Refund of R: debit merchant_payable R, credit psp_receivable R. Fees are not returned. */
export function refundPostings(facts: RefundFacts): PlannedPosting[] {
  assertPositive(facts.amount, 'refunded amount');
  return transfer(
    merchantPayable(facts.merchantId, facts.currency),
    pspReceivable(facts.provider, facts.currency),
    facts.amount,
    false,
  );
}

/**
 * Reversal of a capture the PSP reported failed after confirming it (Adyen CAPTURE_FAILED): the
 * capture's lines swapped — credit psp_receivable X, debit merchant_payable X − F, debit
 * platform_fees F — with F computed from the fee schedule the capture was booked with, exactly as the
 * capture computed it. Nothing was charged, so no fee was earned.
 */
export function captureReversalPostings(facts: CaptureFacts): PlannedPosting[] {
  return swapped(capturePostings(facts));
}

/** Reversal of a refund that failed or came back after succeeding: debit psp_receivable R, credit merchant_payable R. */
export function refundReversalPostings(facts: RefundFacts): PlannedPosting[] {
  return swapped(refundPostings(facts));
}

export interface LateSuccessFacts {
  provider: string;
  currency: string;
  /** What the PSP captured with the authorization PayFlow had failed. */
  amountCaptured: bigint;
}

/**
 * A late success that captured C (automatic capture): the PSP owes PayFlow C, which PayFlow owes the
 * customer back, not the merchant — debit psp_receivable C, credit psp_suspense C — until the refund
 * that reverses it. No fee: the merchant sold nothing.
 */
export function lateSuccessPostings(facts: LateSuccessFacts): PlannedPosting[] {
  assertPositive(facts.amountCaptured, 'late captured amount');
  return transfer(
    pspReceivable(facts.provider, facts.currency),
    pspSuspense(facts.provider, facts.currency),
    facts.amountCaptured,
    false,
  );
}

/** The refund of a late success went through: the suspense and the receivable are settled. */
export function lateSuccessReversalPostings(facts: LateSuccessFacts): PlannedPosting[] {
  return swapped(lateSuccessPostings(facts));
}

/** Two lines moving `amount` from one account to another: a debit of `debited`, a credit of `credited`. */
function transfer(
  debited: AccountKey,
  credited: AccountKey,
  amount: bigint,
  pending: boolean,
): PlannedPosting[] {
  return [
    { account: debited, direction: 'debit', amount, pending },
    { account: credited, direction: 'credit', amount, pending },
  ];
}

function swapped(postings: PlannedPosting[]): PlannedPosting[] {
  return postings.map((line) => ({ ...line, direction: line.direction === 'debit' ? 'credit' : 'debit' }));
}

/** Debits minus credits per currency and phase; every key must be 0 for a balanced entry. */
export function imbalance(postings: PlannedPosting[]): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const line of postings) {
    const key = `${line.account.currency}/${line.pending ? 'pending' : 'posted'}`;
    const signed = line.direction === 'debit' ? line.amount : -line.amount;
    totals.set(key, (totals.get(key) ?? 0n) + signed);
  }
  return totals;
}

export function isBalanced(postings: PlannedPosting[]): boolean {
  return postings.length >= 2 && [...imbalance(postings).values()].every((total) => total === 0n);
}

function assertPositive(amount: bigint, what: string): void {
  if (amount <= 0n) throw new RangeError(`${what} must be positive, got ${amount}`);
}
