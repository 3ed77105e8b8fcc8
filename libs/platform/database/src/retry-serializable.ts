import { DataSource } from 'typeorm';
import { Tx } from './data-source';

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

function sqlState(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}

/** Runs a SERIALIZABLE transaction, retrying with jittered backoff on 40001/40P01 (bounded). */
export async function inSerializableTransaction<T>(
  dataSource: DataSource,
  work: (tx: Tx) => Promise<T>,
  maxAttempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction('SERIALIZABLE', work);
    } catch (error) {
      const state = sqlState(error);
      const retryable = state === SERIALIZATION_FAILURE || state === DEADLOCK_DETECTED;
      if (!retryable || attempt >= maxAttempts) throw error;
      const delayMs = Math.random() * 10 * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export { sqlState };
