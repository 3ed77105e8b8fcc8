/**
 * Fault injection settings for one provider, written as `key=value` pairs separated by commas, e.g.
 * `latency_ms=20,error_5xx_executed=0.1,timeout=0.05`:
 *
 * | key | value | effect |
 * |---|---|---|
 * | latency_ms | ms | added to every API answer |
 * | latency_jitter_ms | ms | plus a random 0…n ms |
 * | error_5xx_executed | probability | the operation happens, then the answer is a 500 |
 * | error_5xx_not_executed | probability | a 500 marked "not processed" (Stripe-Should-Retry / Transient-Error: true); nothing happens |
 * | error_5xx_saved | probability | the operation happens, the answer is a 500, and (Stripe) that 500 is saved for the key: same-key retries get it again (on Adyen like error_5xx_executed) |
 * | timeout | probability | the operation happens, the answer hangs past the client's timeout |
 * | reset | probability | the connection is destroyed before anything happens |
 * | reset_after_execution | probability | the operation happens, then the connection is destroyed |
 * | rate_limit | probability | a 429; nothing happens |
 * | limit | count | inject at most this many request faults, then none (e.g. "fail the next call") |
 * | capture_failed | probability | (Adyen) a confirmed capture later gets CAPTURE_FAILED |
 * | refund_failed | probability | a succeeded refund later fails (Adyen REFUND_FAILED, Stripe refund.failed) |
 * | refund_reversed | probability | (Adyen) REFUNDED_REVERSED after REFUND; on Stripe like refund_failed |
 * | webhook_duplicate | probability | a webhook is delivered twice |
 * | webhook_delay_ms | ms | added to every webhook's delay |
 * | webhook_reorder | probability | a webhook is held back and sent after the next one |
 * | webhook_drop | probability | a webhook is never delivered |
 * | webhook_late | probability | a webhook is held `webhook_late_ms` before its first delivery |
 * | webhook_late_ms | ms | how long `webhook_late` holds a webhook |
 * | seed | integer | this provider's PRNG seed (default: derived from SIMULATOR_SEED) |
 *
 * Request-fault probabilities are exclusive and must sum to at most 1; so must refund_failed and
 * refund_reversed (one refund fails one way at most).
 */
export interface FaultSpec {
  latencyMs: number;
  latencyJitterMs: number;
  error5xxExecuted: number;
  error5xxNotExecuted: number;
  error5xxSaved: number;
  timeout: number;
  reset: number;
  resetAfterExecution: number;
  rateLimit: number;
  limit?: number;
  captureFailed: number;
  refundFailed: number;
  refundReversed: number;
  webhookDuplicate: number;
  webhookDelayMs: number;
  webhookReorder: number;
  webhookDrop: number;
  webhookLate: number;
  webhookLateMs: number;
  seed?: number;
}

export const NO_FAULTS: Readonly<FaultSpec> = Object.freeze({
  latencyMs: 0,
  latencyJitterMs: 0,
  error5xxExecuted: 0,
  error5xxNotExecuted: 0,
  error5xxSaved: 0,
  timeout: 0,
  reset: 0,
  resetAfterExecution: 0,
  rateLimit: 0,
  captureFailed: 0,
  refundFailed: 0,
  refundReversed: 0,
  webhookDuplicate: 0,
  webhookDelayMs: 0,
  webhookReorder: 0,
  webhookDrop: 0,
  webhookLate: 0,
  webhookLateMs: 0,
});

type Kind = 'probability' | 'ms' | 'count' | 'seed';

const KEYS: Readonly<Record<string, { field: keyof FaultSpec; kind: Kind }>> = Object.freeze({
  latency_ms: { field: 'latencyMs', kind: 'ms' },
  latency_jitter_ms: { field: 'latencyJitterMs', kind: 'ms' },
  error_5xx_executed: { field: 'error5xxExecuted', kind: 'probability' },
  error_5xx_not_executed: { field: 'error5xxNotExecuted', kind: 'probability' },
  error_5xx_saved: { field: 'error5xxSaved', kind: 'probability' },
  timeout: { field: 'timeout', kind: 'probability' },
  reset: { field: 'reset', kind: 'probability' },
  reset_after_execution: { field: 'resetAfterExecution', kind: 'probability' },
  rate_limit: { field: 'rateLimit', kind: 'probability' },
  limit: { field: 'limit', kind: 'count' },
  capture_failed: { field: 'captureFailed', kind: 'probability' },
  refund_failed: { field: 'refundFailed', kind: 'probability' },
  refund_reversed: { field: 'refundReversed', kind: 'probability' },
  webhook_duplicate: { field: 'webhookDuplicate', kind: 'probability' },
  webhook_delay_ms: { field: 'webhookDelayMs', kind: 'ms' },
  webhook_reorder: { field: 'webhookReorder', kind: 'probability' },
  webhook_drop: { field: 'webhookDrop', kind: 'probability' },
  webhook_late: { field: 'webhookLate', kind: 'probability' },
  webhook_late_ms: { field: 'webhookLateMs', kind: 'ms' },
  seed: { field: 'seed', kind: 'seed' },
});

export const FAULT_SPEC_KEYS: readonly string[] = Object.keys(KEYS);

/** A malformed fault setting; the message names the key. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const MAX_MS = 600_000;

function parseValue(key: string, kind: Kind, raw: unknown): number {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(value))
    throw new FaultSpecError(`${key} must be a number, got ${JSON.stringify(raw)}`);
  switch (kind) {
    case 'probability':
      if (value < 0 || value > 1)
        throw new FaultSpecError(`${key} must be a probability from 0 to 1, got ${value}`);
      return value;
    case 'ms':
      if (!Number.isInteger(value) || value < 0 || value > MAX_MS)
        throw new FaultSpecError(`${key} must be whole milliseconds from 0 to ${MAX_MS}, got ${value}`);
      return value;
    case 'count':
      if (!Number.isInteger(value) || value < 0)
        throw new FaultSpecError(`${key} must be a whole number, got ${value}`);
      return value;
    case 'seed':
      if (!Number.isInteger(value)) throw new FaultSpecError(`${key} must be an integer, got ${value}`);
      return value;
  }
}

function checkTotal(spec: FaultSpec): FaultSpec {
  const total =
    spec.error5xxExecuted +
    spec.error5xxNotExecuted +
    spec.error5xxSaved +
    spec.timeout +
    spec.reset +
    spec.resetAfterExecution +
    spec.rateLimit;
  if (total > 1 + 1e-9)
    throw new FaultSpecError(`request fault probabilities must sum to at most 1, got ${total}`);
  const refunds = spec.refundFailed + spec.refundReversed;
  if (refunds > 1 + 1e-9)
    throw new FaultSpecError(`refund_failed and refund_reversed must sum to at most 1, got ${refunds}`);
  return spec;
}

/** From a plain object with snake_case keys (the admin API's JSON body). */
export function faultSpecFromObject(input: Readonly<Record<string, unknown>>): FaultSpec {
  const spec: FaultSpec = { ...NO_FAULTS };
  for (const [key, raw] of Object.entries(input)) {
    const definition = KEYS[key];
    if (!definition)
      throw new FaultSpecError(`unknown fault setting "${key}" (known: ${FAULT_SPEC_KEYS.join(', ')})`);
    (spec as unknown as Record<string, number>)[definition.field] = parseValue(key, definition.kind, raw);
  }
  return checkTotal(spec);
}

/** From the environment's `key=value,key=value` form; empty means no faults. */
export function parseFaultSpec(text: string): FaultSpec {
  const entries: Record<string, string> = {};
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const [key, value, ...rest] = trimmed.split('=');
    if (value === undefined || rest.length > 0) throw new FaultSpecError(`"${trimmed}" is not key=value`);
    const name = key.trim();
    if (name in entries) throw new FaultSpecError(`${name} is set twice`);
    entries[name] = value;
  }
  return faultSpecFromObject(entries);
}

/** Back to the snake_case form, listing only what is set (for the admin API's answers). */
export function describeFaultSpec(spec: FaultSpec): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, { field }] of Object.entries(KEYS)) {
    const value = spec[field];
    if (value !== undefined && value !== 0) out[key] = value;
  }
  return out;
}
