import { Module } from '@nestjs/common';
import { IdempotencyPruner } from './idempotency-pruner';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotentTransaction } from './idempotent-transaction';

@Module({
  providers: [IdempotencyRecords, IdempotentTransaction, IdempotencyPruner],
  exports: [IdempotencyRecords, IdempotentTransaction],
})
export class IdempotencyModule {}
