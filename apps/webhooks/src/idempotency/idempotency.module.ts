import { Module } from '@nestjs/common';
import { IdempotencyRecords } from './idempotency-records';

@Module({ providers: [IdempotencyRecords], exports: [IdempotencyRecords] })
export class IdempotencyModule {}
