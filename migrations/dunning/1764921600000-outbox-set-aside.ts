import { MigrationInterface, QueryRunner } from 'typeorm';
import { dropOutboxSetAsideSql, outboxSetAsideSql } from '@payflow/platform/outbox';

/** Rows Kafka refuses for good are set aside instead of blocking the relay (see libs/platform/outbox). */
export class OutboxSetAside1764921600000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of outboxSetAsideSql('dunning')) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of dropOutboxSetAsideSql('dunning')) await runner.query(sql);
  }
}
