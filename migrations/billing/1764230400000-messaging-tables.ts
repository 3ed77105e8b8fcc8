import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTablesSql, dropMessagingTablesSql } from '@payflow/platform/outbox';

/** The outbox and inbox of the billing service (same shape in every service, see libs/platform/outbox). */
export class MessagingTables1764230400000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of createMessagingTablesSql('billing')) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of dropMessagingTablesSql('billing')) await runner.query(sql);
  }
}
