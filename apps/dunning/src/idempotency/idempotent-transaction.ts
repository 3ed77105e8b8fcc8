import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx } from '@payflow/platform/database';
import { ApiAnswer, IdempotencyScope } from '@payflow/platform/http';
import { IdempotencyRecords } from './idempotency-records';

/**
 * One request's write in one READ COMMITTED transaction together with its idempotency record
 * (billing's model): a stored answer is replayed without running `work`; otherwise `work` runs and
 * its answer is stored before commit. An error rolls everything back and stores nothing.
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
