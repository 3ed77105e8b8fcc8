import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRole } from '@payflow/platform/config';
import { createConsumerOffsetsTableSql, dropConsumerOffsetsTableSql } from '@payflow/platform/messaging';

/**
 * The orchestrator consumer's offsets per (topic, partition), moved in each handler's transaction so a
 * consumer group whose Kafka offsets were lost re-applies nothing (libs/platform/messaging).
 */
export class ConsumerOffsets1764921600200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of createConsumerOffsetsTableSql('orchestrator')) await runner.query(sql);
    await runner.query(
      `GRANT SELECT, INSERT, UPDATE ON "orchestrator".consumer_offsets TO "${serviceRole('orchestrator')}"`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of dropConsumerOffsetsTableSql('orchestrator')) await runner.query(sql);
  }
}
