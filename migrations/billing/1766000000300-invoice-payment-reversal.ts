import { MigrationInterface, QueryRunner } from 'typeorm';

const GUARD = (paidMayReopen: boolean) => `
  CREATE OR REPLACE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      IF OLD.status <> 'draft' THEN
        RAISE EXCEPTION 'invoice % is %: only a draft may be deleted', OLD.id, OLD.status
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN OLD;
    END IF;
    IF NEW.id <> OLD.id OR NEW.merchant_id <> OLD.merchant_id OR NEW.customer_id <> OLD.customer_id
       OR NEW.subscription_id IS DISTINCT FROM OLD.subscription_id OR NEW.invoice_key <> OLD.invoice_key
       OR NEW.test_clock_id IS DISTINCT FROM OLD.test_clock_id OR NEW.created_at <> OLD.created_at THEN
      RAISE EXCEPTION 'invoice %: identity columns never change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.number IS NOT NULL AND NEW.number IS DISTINCT FROM OLD.number THEN
      RAISE EXCEPTION 'invoice %: its number % never changes', OLD.id, OLD.number USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status <> 'draft' AND (
         NEW.currency <> OLD.currency OR NEW.subtotal <> OLD.subtotal OR NEW.total <> OLD.total
         OR NEW.starting_balance <> OLD.starting_balance OR NEW.amount_due <> OLD.amount_due
         OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end
         OR NEW.finalized_at IS DISTINCT FROM OLD.finalized_at) THEN
      RAISE EXCEPTION 'invoice % is finalized (%): its totals, number and currency are immutable', OLD.id, OLD.status
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status <> OLD.status AND NOT (
         (OLD.status = 'draft' AND NEW.status IN ('open', 'void', 'paid'))
      OR (OLD.status = 'open' AND NEW.status IN ('paid', 'void', 'uncollectible'))
      OR (OLD.status = 'uncollectible' AND NEW.status IN ('paid', 'void'))${
        paidMayReopen ? `\n      OR (OLD.status = 'paid' AND NEW.status = 'open' AND NEW.amount_paid = 0 AND NEW.paid_at IS NULL)` : ''
      }) THEN
      RAISE EXCEPTION 'invoice %: % -> % is not an allowed transition', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$`;

/**
 * One more way out of `paid`: `paid → open`, only with the payment taken back (`amount_paid` 0, no
 * `paid_at`), for a capture the PSP reversed after reporting it (Adyen `CAPTURE_FAILED`): the money
 * never arrived, so the invoice must not say paid (docs/billing.md). Everything else the guard of
 * 1766000000100 refuses, it still refuses.
 */
export class InvoicePaymentReversal1766000000300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(GUARD(true));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(GUARD(false));
  }
}
