import { Module } from '@nestjs/common';
import { AuthorizationsConsumer } from './authorizations.consumer';
import { CardAuthorizations } from './card-authorizations';
import { IntentAuthorizations } from './intent-authorizations';

/**
 * Per-card budgets (issue 12 "Budgets"): the store of the card's authorizations and the consumer
 * of intents' topic that fills it; the rules are pure (budget-rules.ts, used by the decisions).
 */
@Module({
  controllers: [AuthorizationsConsumer],
  providers: [CardAuthorizations, IntentAuthorizations],
  exports: [CardAuthorizations],
})
export class BudgetsModule {}
