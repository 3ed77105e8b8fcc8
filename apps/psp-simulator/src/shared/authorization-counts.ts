/**
 * Authorizations executed per PayFlow intent, across both PSPs (a failover's authorization counts
 * too), for `pm_card_insufficientFundsTwice`. Authorizations without a known intent are counted
 * under their own key (each payment alone), so they are always the first.
 */
export class AuthorizationCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one more authorization for `intentId` and returns its number (1-based). */
  next(intentId: string | null): number {
    if (!intentId) return 1;
    const count = (this.counts.get(intentId) ?? 0) + 1;
    this.counts.set(intentId, count);
    return count;
  }
}
