import { Global, Module } from '@nestjs/common';
import { IdempotencyPruner } from './idempotency-pruner';
import { IdempotencyRecords } from './idempotency-records';

/** Global: every billing module with a POST uses the one store. */
@Global()
@Module({ providers: [IdempotencyRecords, IdempotencyPruner], exports: [IdempotencyRecords] })
export class IdempotencyModule {}
