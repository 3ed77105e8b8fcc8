import { createHash } from 'node:crypto';
import type { Operation } from './attempt';

/**
 * An attempt's id is derived from what asked for it and its place in the route, so recording the
 * same request twice (a replay after lost offsets) names the same attempt — and therefore sends the
 * same idempotency key — instead of charging under a new one.
 */
export function attemptIdFor(requestRef: string, routeIndex: number): string {
  const digest = createHash('sha256').update(`${requestRef}#${routeIndex}`).digest('hex');
  return `att_${digest.slice(0, 24)}`;
}

/**
 * The PSP idempotency key of an attempt: the same for every call of the attempt (retries replay the
 * first outcome), different for a failover (a new attempt). Stripe allows 255 characters, Adyen 64.
 */
export function idempotencyKeyFor(attemptId: string, operation: Operation): string {
  return `payflow_${attemptId}_${operation}`;
}

/** What asked for an attempt: one authorization per `attempt_no`, one refund per refund, else the event. */
export const requestRefs = {
  authorize: (intentId: string, attemptNo: number) => `authorize:${intentId}:${attemptNo}`,
  capture: (intentId: string, eventId: string) => `capture:${intentId}:${eventId}`,
  cancel: (intentId: string, eventId: string) => `cancel:${intentId}:${eventId}`,
  refund: (refundId: string) => `refund:${refundId}`,
  /** A void PayFlow sends on its own after a late authorization of a failed attempt. */
  compensatingVoid: (attemptId: string) => `void:${attemptId}`,
  /** A refund PayFlow sends on its own of a late success that was captured (automatic capture). */
  compensatingRefund: (attemptId: string) => `late-refund:${attemptId}`,
  /** The cancel by reference of an authorization unresolved at its deadline. */
  deadlineCancel: (attemptId: string) => `deadline-cancel:${attemptId}`,
  /** The void of an authorization whose capture the PSP reversed (the intent is failed: nothing may stay held). */
  releaseAfterReversedCapture: (captureAttemptId: string) => `release:${captureAttemptId}`,
};
