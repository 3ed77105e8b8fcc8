import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx } from '@payflow/platform/database';
import { ApiAnswer, IdempotencyScope } from '@payflow/platform/http';
import { IdempotencyRecords } from './idempotency-records';

/**
 * One request's write in one READ COMMITTED transaction together with its idempotency record
 * (DESIGN.md "Idempotency"): a stored answer is replayed without running `work`; otherwise `work`
 * runs and its answer is stored before commit, so with Redis flushed a retried POST changes
 * nothing twice. An error (a 4xx, a 409 conflict) rolls everything back and stores nothing: the
 * retry runs again and meets the state as it then is.
 */
@Injectable()
export class IdempotentTransaction {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: IdempotencyRecords,
  ) {}

  run<T>(scope: IdempotencyScope | null, work: (tx: Tx) => Promise<ApiAnswer<T>>): Promise<ApiAnswer<T>> {
    return this.records.run(this.dataSource, scope, work);
  }
}
