import type { Provider } from '@payflow/contracts';
import type { SimulatedResponse } from './simulated-response';

interface StoredAnswer {
  fingerprint: string;
  response: SimulatedResponse;
}

export interface KeyRecord {
  provider: Provider;
  key: string;
  operation: string;
  /** Times the operation actually ran for this key: more than 1 would be a double charge. */
  executions: number;
  /** Times the stored answer was replayed instead. */
  replays: number;
}

export type IdempotentRun =
  | { kind: 'executed'; response: SimulatedResponse }
  | { kind: 'replayed'; response: SimulatedResponse }
  | { kind: 'conflict' };

/**
 * Idempotency keys honoured like the PSPs: the first answer to a key is kept and replayed for the
 * same request; the same key with different parameters is refused; answers of requests refused
 * before executing are not kept. Every execution is counted per key, so tests can prove that no
 * retry charged twice. In memory: the simulator forgets everything when it stops.
 */
export class IdempotencyStore {
  private readonly answers = new Map<string, StoredAnswer>();
  private readonly records = new Map<string, KeyRecord>();
  private readonly running = new Set<string>();

  /**
   * Marks a key's request as running; false when another request with the key is still running
   * (Stripe then answers 409 `idempotency_key_in_use`). Every true must be paired with `release`.
   */
  acquire(provider: Provider, key: string): boolean {
    const id = `${provider}\u0000${key}`;
    if (this.running.has(id)) return false;
    this.running.add(id);
    return true;
  }

  release(provider: Provider, key: string): void {
    this.running.delete(`${provider}\u0000${key}`);
  }

  /**
   * Replaces the kept answer of a key that executed with `response` (Stripe's saved 500: a request
   * that ran and then failed keeps its failure, so a same-key retry learns nothing more). Returns
   * false, saving nothing, when the key has no kept answer (its request did not execute).
   */
  saveAnswer(provider: Provider, key: string, response: SimulatedResponse): boolean {
    const id = `${provider}\u0000${key}`;
    const stored = this.answers.get(id);
    if (!stored) return false;
    this.answers.set(id, { fingerprint: stored.fingerprint, response });
    return true;
  }

  run(
    provider: Provider,
    key: string | undefined,
    fingerprint: string,
    operation: string,
    execute: () => SimulatedResponse,
  ): IdempotentRun {
    if (!key) return { kind: 'executed', response: execute() };
    const id = `${provider}\u0000${key}`;
    const stored = this.answers.get(id);
    if (stored) {
      if (stored.fingerprint !== fingerprint) return { kind: 'conflict' };
      this.record(provider, key, operation).replays += 1;
      return { kind: 'replayed', response: stored.response };
    }
    const response = execute();
    if (response.replayable !== false) {
      this.answers.set(id, { fingerprint, response });
      this.record(provider, key, operation).executions += 1;
    }
    return { kind: 'executed', response };
  }

  lookup(provider: Provider | undefined, key: string): KeyRecord[] {
    const providers: Provider[] = provider ? [provider] : ['stripe', 'adyen'];
    return providers.flatMap((p) => {
      const record = this.records.get(`${p}\u0000${key}`);
      return record ? [{ ...record }] : [];
    });
  }

  /** Keys that executed more than once (always empty unless idempotency is broken). */
  duplicates(): KeyRecord[] {
    return [...this.records.values()]
      .filter((record) => record.executions > 1)
      .map((record) => ({ ...record }));
  }

  totals(provider: Provider): { keys: number; executions: number; replays: number } {
    let keys = 0;
    let executions = 0;
    let replays = 0;
    for (const record of this.records.values()) {
      if (record.provider !== provider) continue;
      keys += 1;
      executions += record.executions;
      replays += record.replays;
    }
    return { keys, executions, replays };
  }

  private record(provider: Provider, key: string, operation: string): KeyRecord {
    const id = `${provider}\u0000${key}`;
    let record = this.records.get(id);
    if (!record) {
      record = { provider, key, operation, executions: 0, replays: 0 };
      this.records.set(id, record);
    }
    return record;
  }
}
