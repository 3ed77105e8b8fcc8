/** An answer the simulator will send (or replay for the same idempotency key). */
export interface SimulatedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Whether a later request with the same idempotency key gets this answer again. Like the PSPs,
   * only answers of requests that started executing are kept; a request refused by validation
   * before executing is not, so it can be corrected and retried.
   */
  replayable?: boolean;
  /** Answer this much later (the `pm_card_timeout` test card): executed now, answered late. */
  lateByMs?: number;
}
