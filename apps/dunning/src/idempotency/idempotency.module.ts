import { Global, Module } from '@nestjs/common';
import { IdempotencyPruner } from './idempotency-pruner';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotentTransaction } from './idempotent-transaction';

/** Global: every dunning module with a POST uses the one store. */
@Global()
@Module({
  providers: [IdempotencyRecords, IdempotencyPruner, IdempotentTransaction],
  exports: [IdempotencyRecords, IdempotentTransaction],
})
export class IdempotencyModule {}
