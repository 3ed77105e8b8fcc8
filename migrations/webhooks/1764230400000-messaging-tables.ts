import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTablesSql, dropMessagingTablesSql } from '@payflow/platform/outbox';

/** The outbox and inbox of the webhooks service (same shape in every service, see libs/platform/outbox). */
export class MessagingTables1764230400000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of createMessagingTablesSql('webhooks')) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of dropMessagingTablesSql('webhooks')) await runner.query(sql);
  }
}
