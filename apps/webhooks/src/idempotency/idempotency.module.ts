import { Module } from '@nestjs/common';
import { IdempotencyPruner } from './idempotency-pruner';
import { IdempotencyRecords } from './idempotency-records';

@Module({ providers: [IdempotencyRecords, IdempotencyPruner], exports: [IdempotencyRecords] })
export class IdempotencyModule {}
