import type { GeneratedLine } from './generate';

/**
 * The generator's invariants, checked before anything is written (DESIGN.md "Billing"). A
 * violation means the generator or the stored invoices are wrong: the service parks the customer
 * (parked_customers) and writes nothing, rather than bill twice or credit what was never billed.
 */

export type InvariantViolationKind = 'duplicate_recurring_period' | 'repair_exceeds_billed' | 'total_mismatch';

export interface InvariantViolation {
  kind: InvariantViolationKind;
  detail: object;
}

export interface InvoiceTotal {
  invoice_key: string;
  total: number;
}

/** A line as checked: a generated or invoiced line, optionally tagged with its subscription. */
export type CheckedLine = GeneratedLine & { subscription?: string | null };

const RECURRING = 'recurring:';
const REPAIR = 'repair:';
const REBILL = 'rebill:';

function corrected(kind: string): { id: string; repair: boolean } | null {
  if (kind.startsWith(REPAIR)) return { id: kind.slice(REPAIR.length), repair: true };
  if (kind.startsWith(REBILL)) return { id: kind.slice(REBILL.length), repair: false };
  return null;
}

/**
 * - duplicate_recurring_period: two recurring lines still in force (not repaired) for the same
 *   price of a subscription whose periods overlap — the same time billed twice;
 * - repair_exceeds_billed: a correction of a line that was never billed, larger than it, of the
 *   wrong sign, or more repairs than the line and its rebills (crediting more than was billed);
 * - total_mismatch: an invoice whose lines do not sum to its total.
 * `lines` are every non-void line of the subscription(s); `totals` the invoices to check.
 */
export function checkInvoiceInvariants(
  lines: readonly CheckedLine[],
  totals: readonly InvoiceTotal[],
): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  const byId = new Map<string, CheckedLine>();
  for (const line of lines) if (!byId.has(line.id)) byId.set(line.id, line);
  const unique = [...byId.values()];

  // Net count of each corrected line: 1 for itself, -1 per repair, +1 per rebill.
  const net = new Map<string, number>();
  for (const line of unique) {
    const c = corrected(line.kind);
    if (!c) continue;
    const original = byId.get(c.id);
    const problem = !original
      ? 'corrects a line that was never billed'
      : Math.abs(line.amount) > Math.abs(original.amount)
        ? 'larger than the line it corrects'
        : line.amount !== 0 && Math.sign(line.amount) !== (c.repair ? -1 : 1) * Math.sign(original.amount)
          ? 'of the wrong sign'
          : null;
    if (problem) {
      violations.push({
        kind: 'repair_exceeds_billed',
        detail: { line: line.id, corrects: c.id, amount: line.amount, billed: original?.amount ?? 0, problem },
      });
    }
    net.set(c.id, (net.get(c.id) ?? 1) + (c.repair ? -1 : 1));
  }
  for (const [id, count] of net) {
    if (count < 0 && byId.has(id)) {
      violations.push({
        kind: 'repair_exceeds_billed',
        detail: { line: id, billed: byId.get(id)?.amount, net_count: count, problem: 'repaired more often than billed' },
      });
    }
  }

  // Recurring coverage in force, per subscription and price: no overlap.
  const inForce = new Map<string, CheckedLine[]>();
  for (const line of unique) {
    if (!line.kind.startsWith(RECURRING)) continue;
    const count = net.get(line.id) ?? 1;
    for (let i = 0; i < count; i += 1) {
      const key = JSON.stringify([line.subscription ?? null, line.price]);
      inForce.set(key, [...(inForce.get(key) ?? []), line]);
    }
  }
  for (const group of inForce.values()) {
    const sorted = [...group].sort((a, b) => a.period.start - b.period.start || a.period.end - b.period.end);
    for (let i = 1; i < sorted.length; i += 1) {
      const previous = sorted[i - 1];
      const line = sorted[i];
      if (line.period.start < previous.period.end) {
        violations.push({
          kind: 'duplicate_recurring_period',
          detail: {
            subscription: line.subscription ?? null,
            price: line.price,
            lines: [previous.id, line.id],
            period: { start: line.period.start, end: Math.min(line.period.end, previous.period.end) },
          },
        });
      }
    }
  }

  for (const { invoice_key, total } of totals) {
    const sum = unique.filter((line) => line.invoice_key === invoice_key).reduce((s, line) => s + line.amount, 0);
    if (sum !== total) violations.push({ kind: 'total_mismatch', detail: { invoice_key, total, lines_sum: sum } });
  }
  return violations;
}
