/**
 * One dependency `/readyz` looks at. `check` resolves true when the dependency can serve; false, a
 * rejection or no answer within the module's timeout all count as down.
 */
export interface ReadinessCheck {
  /** Key in the `/readyz` body, e.g. `postgres`. Unique within a service. */
  name: string;
  check: () => Promise<boolean> | boolean;
  /**
   * Reported in the body but not a condition of readiness: a dependency the service can serve
   * without, degraded (DESIGN.md: a service that works without Redis stays ready when it is down).
   */
  optional?: boolean;
}

export type CheckStatus = 'up' | 'down';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckStatus>;
}
