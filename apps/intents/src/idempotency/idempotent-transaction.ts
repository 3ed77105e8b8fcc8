import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx } from '@payflow/platform/database';
import { ApiError, IdempotencyScope } from '@payflow/platform/http';
import { ApiResponse } from '../http/api-response';
import { isTransitionRefusal } from '../state-machine/transition-refused';
import { IdempotencyRecords } from './idempotency-records';

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
    if (!scope) return this.records.run(this.dataSource, null, work);
    // A refusal `work` threw in this request (not one replayed from an earlier one): rethrown after commit.
    let refusal: ApiError | null = null;
    const response = await this.records.run<unknown>(this.dataSource, scope, async (tx) => {
      await tx.query('SAVEPOINT idempotent_work');
      try {
        return await work(tx);
      } catch (error) {
        if (!isTransitionRefusal(error)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT idempotent_work');
        refusal = error;
        return { statusCode: error.status, body: error.body() };
      }
    });
    if (refusal) throw refusal;
    return response as ApiResponse<T>;
  }
}
