/**
 * The kinds of scheduled work billing runs (BILLING-INTERFACES "Services"). Each is due at an
 * instant of the customer's clock and its handler is idempotent: a row run twice (a crash after the
 * effect, before `done_at` committed, cannot happen since both are one transaction; a second row
 * for the same subject at another instant can) has no second effect.
 */
export const WORK_KINDS = {
  /** Bill a subscription at a period boundary (which schedules the next). */
  renew: 'subscription.renew',
  /** Finalize a draft invoice at the end of its draft window. */
  finalize: 'invoice.finalize',
  /** A first invoice still unpaid 23 h after creation: the subscription is `incomplete_expired`. */
  expireIncomplete: 'subscription.expire_incomplete',
  trialEnd: 'subscription.trial_end',
  cancelAtPeriodEnd: 'subscription.cancel_at_period_end',
} as const;

export type WorkKind = (typeof WORK_KINDS)[keyof typeof WORK_KINDS];
