import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx, inTransaction, sqlState } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { ApiResponse } from '../http/api-response';
import { IdempotencyScope } from '../http/request-meta';
import { isTransitionRefusal } from '../state-machine/transition-refused';
import { IdempotencyRecords, keyInFlight } from './idempotency-records';

const UNIQUE_VIOLATION = '23505';

/** What a request's transaction produced: an answer, or a stored refusal to rethrow after commit. */
type Outcome = { response: ApiResponse } | { refusal: ApiError };

/**
 * Runs one request's write in one READ COMMITTED transaction together with its idempotency record:
 * a stored answer is replayed without running `work`; otherwise `work` runs and its answer is stored
 * before commit. A state-machine refusal (`409 invalid_state_transition`) is an answer too and is
 * stored (Stripe keeps what an executed request answered), after rolling back to a savepoint so
 * nothing `work` wrote survives. Validation errors and other 4xx store nothing.
 */
@Injectable()
export class IdempotentTransaction {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: IdempotencyRecords,
  ) {}

  async run<T>(
    scope: IdempotencyScope | null,
    work: (tx: Tx) => Promise<ApiResponse<T>>,
  ): Promise<ApiResponse<T>> {
    if (!scope) return inTransaction(this.dataSource, work);
    let outcome: Outcome;
    try {
      outcome = await inTransaction(this.dataSource, async (tx): Promise<Outcome> => {
        const stored = await this.records.claim(tx, scope);
        if (stored) return { response: stored };
        await tx.query('SAVEPOINT idempotent_work');
        let response: ApiResponse;
        try {
          response = await work(tx);
        } catch (error) {
          if (!isTransitionRefusal(error)) throw error;
          await tx.query('ROLLBACK TO SAVEPOINT idempotent_work');
          await this.records.store(tx, scope, { statusCode: error.status, body: error.body() });
          return { refusal: error };
        }
        await this.records.store(tx, scope, response);
        return { response };
      });
    } catch (error) {
      // Two first requests with one key both passed the lock only if one committed in between:
      // the later insert loses the race, and that is a 409, never a 5xx.
      if (sqlState(error) === UNIQUE_VIOLATION) throw keyInFlight();
      throw error;
    }
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.response as ApiResponse<T>;
  }
}
