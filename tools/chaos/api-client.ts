/**
 * The merchants' HTTP client: every write carries an Idempotency-Key, and a call that fails in a
 * way a retry can fix (connection error, timeout, 5xx, 429, 409 "key in use") is retried with the
 * SAME key, with capped backoff, for as long as an outage may last.
 */
export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface ApiClientOptions {
  baseUrl: string;
  /** Per request. */
  timeoutMs?: number;
  /** Retries stop after this long in total, and the call fails. */
  giveUpAfterMs?: number;
  /** Counts every retry (for the report). */
  onRetry?: (reason: string) => void;
}

/** Whether a failed answer may succeed if sent again with the same key. */
export function retryable(answer: ApiAnswer): boolean {
  if (answer.status >= 500 || answer.status === 429 || answer.status === 408) return true;
  return answer.status === 409 && answer.body?.error?.code === 'idempotency_key_in_use';
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  async call(
    method: string,
    path: string,
    key: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ApiAnswer> {
    const giveUpAt = Date.now() + (this.options.giveUpAfterMs ?? 300_000);
    let backoff = 200;
    for (;;) {
      let reason: string;
      try {
        const response = await fetch(`${this.options.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        const text = await response.text();
        const answer: ApiAnswer = { status: response.status, body: text ? safeJson(text) : null };
        if (!retryable(answer)) return answer;
        reason = `http ${answer.status}`;
      } catch (error) {
        reason = (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection';
      }
      if (Date.now() > giveUpAt) throw new Error(`${method} ${path} still failing (${reason}) after retries`);
      this.options.onRetry?.(reason);
      await new Promise((resolve) => setTimeout(resolve, backoff + Math.floor(Math.random() * backoff)));
      backoff = Math.min(backoff * 2, 5_000);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}
