import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log stays append-only now that an owner role owns the schema and the runtime role gets
 * its rights through default privileges: the first migration's `REVOKE … FROM CURRENT_USER` only
 * reached the role that ran it, so every other grantee (the runtime role) gives them up here.
 */
export class AuditLogAppendOnly1764921600200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DO $$
      DECLARE grantee_role text;
      BEGIN
        FOR grantee_role IN
          SELECT DISTINCT grantee FROM information_schema.role_table_grants
           WHERE table_schema = current_schema() AND table_name = 'admin_audit_log'
             AND grantee <> current_user AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
        LOOP
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit_log FROM %I', grantee_role);
        END LOOP;
      END $$`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the audit log was always meant to be append-only.
  }
}
