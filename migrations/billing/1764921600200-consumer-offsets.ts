import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRole } from '@payflow/platform/config';
import { createConsumerOffsetsTableSql, dropConsumerOffsetsTableSql } from '@payflow/platform/messaging';

/**
 * The billing consumer's offsets per (topic, partition) — it consumes intents' answers to its
 * payment requests — moved in each handler's transaction so a consumer group whose Kafka offsets
 * were lost re-applies nothing (libs/platform/messaging), as every other consuming service.
 */
export class ConsumerOffsets1764921600200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of createConsumerOffsetsTableSql('billing')) await runner.query(sql);
    await runner.query(`GRANT SELECT, INSERT, UPDATE ON "billing".consumer_offsets TO "${serviceRole('billing')}"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of dropConsumerOffsetsTableSql('billing')) await runner.query(sql);
  }
}
