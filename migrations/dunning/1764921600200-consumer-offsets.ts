import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRole } from '@payflow/platform/config';
import { createConsumerOffsetsTableSql, dropConsumerOffsetsTableSql } from '@payflow/platform/messaging';

/**
 * The dunning consumer's offsets per (topic, partition) — it consumes billing's and intents'
 * topics — moved in each handler's transaction so a consumer group whose Kafka offsets were lost
 * re-applies nothing (libs/platform/messaging), as every other consuming service.
 */
export class ConsumerOffsets1764921600200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of createConsumerOffsetsTableSql('dunning')) await runner.query(sql);
    await runner.query(`GRANT SELECT, INSERT, UPDATE ON "dunning".consumer_offsets TO "${serviceRole('dunning')}"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of dropConsumerOffsetsTableSql('dunning')) await runner.query(sql);
  }
}
