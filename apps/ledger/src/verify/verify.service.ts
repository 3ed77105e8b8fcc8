import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Violation {
  check: string;
  detail: string;
}

export interface VerifyReport {
  balanced: boolean;
  entries: number;
  postings: number;
  accounts: number;
  violations: Violation[];
  checked_at: string;
}

const MAX_REPORTED = 20;

/**
 * Proves the book's invariants over everything, in SQL: every entry balanced per currency and
 * phase with ≥ 2 postings, every account's running totals equal to the sum of its postings, no
 * posting without its entry or account, and the whole book balanced per currency.
 */
export const VERIFY_CHECKS: { check: string; sql: string }[] = [
  {
    check: 'entry_unbalanced',
    sql: `SELECT 'entry ' || entry_id || ' ' || currency || CASE WHEN pending THEN ' pending' ELSE '' END || ' off by ' || diff AS detail
            FROM (SELECT entry_id, currency, pending, sum(CASE direction WHEN 'debit' THEN amount ELSE -amount END) AS diff
                    FROM postings GROUP BY entry_id, currency, pending) s WHERE diff <> 0`,
  },
  {
    check: 'entry_without_two_postings',
    sql: `SELECT 'entry ' || e.id || ' has ' || count(p.id) || ' postings' AS detail
            FROM entries e LEFT JOIN postings p ON p.entry_id = e.id GROUP BY e.id HAVING count(p.id) < 2`,
  },
  {
    check: 'account_balance_mismatch',
    sql: `SELECT 'account ' || a.code || '/' || a.currency || ' totals differ from its postings' AS detail
            FROM accounts a LEFT JOIN (
                   SELECT account_id,
                          sum(amount) FILTER (WHERE direction = 'debit' AND NOT pending) AS dp,
                          sum(amount) FILTER (WHERE direction = 'credit' AND NOT pending) AS cp,
                          sum(amount) FILTER (WHERE direction = 'debit' AND pending) AS dpe,
                          sum(amount) FILTER (WHERE direction = 'credit' AND pending) AS cpe
                     FROM postings GROUP BY account_id) s ON s.account_id = a.id
           WHERE a.debits_posted <> COALESCE(s.dp, 0) OR a.credits_posted <> COALESCE(s.cp, 0)
              OR a.debits_pending <> COALESCE(s.dpe, 0) OR a.credits_pending <> COALESCE(s.cpe, 0)`,
  },
  {
    check: 'orphan_posting',
    sql: `SELECT 'posting ' || p.id || ' has no entry or account' AS detail
            FROM postings p LEFT JOIN entries e ON e.id = p.entry_id LEFT JOIN accounts a ON a.id = p.account_id
           WHERE e.id IS NULL OR a.id IS NULL`,
  },
  {
    check: 'book_unbalanced',
    sql: `SELECT 'book ' || currency || ' off by ' || diff AS detail
            FROM (SELECT currency, sum(CASE direction WHEN 'debit' THEN amount ELSE -amount END) AS diff
                    FROM postings GROUP BY currency) s WHERE diff <> 0`,
  },
];

@Injectable()
export class VerifyService {
  constructor(private readonly dataSource: DataSource) {}

  async verify(): Promise<VerifyReport> {
    // One snapshot for every check, so concurrent posting cannot produce a false violation.
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const violations: Violation[] = [];
      for (const { check, sql } of VERIFY_CHECKS) {
        const rows: { detail: string }[] = await tx.query(`${sql} LIMIT ${MAX_REPORTED}`);
        violations.push(...rows.map((row) => ({ check, detail: row.detail })));
      }
      const [counts] = await tx.query(
        `SELECT (SELECT count(*) FROM entries)::int AS entries, (SELECT count(*) FROM postings)::int AS postings,
                (SELECT count(*) FROM accounts)::int AS accounts`,
      );
      return {
        balanced: violations.length === 0,
        entries: counts.entries,
        postings: counts.postings,
        accounts: counts.accounts,
        violations,
        checked_at: new Date().toISOString(),
      };
    });
  }
}
