import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/** Intents' authorization events seen by the budgets, by type and outcome (recorded, duplicate, skipped and why). */
export const budgetAuthorizationsTotal = counter(
  'dunning_budget_authorizations_total',
  "Intents' authorization events seen by the card budgets, by type and outcome",
  ['type', 'outcome'],
);
