import type { MigrationInterface } from 'typeorm';
import type { ServiceName } from '@payflow/platform/config';
import { BILLING_MIGRATIONS } from './billing';
import { DUNNING_MIGRATIONS } from './dunning';
import { GATEWAY_MIGRATIONS } from './gateway';
import { INTENTS_MIGRATIONS } from './intents';
import { LEDGER_MIGRATIONS } from './ledger';
import { ORCHESTRATOR_MIGRATIONS } from './orchestrator';
import { WEBHOOKS_MIGRATIONS } from './webhooks';

type MigrationClass = new () => MigrationInterface;

/** Every service's migrations, in order; each list lives in migrations/<service>/. */
export const MIGRATIONS: Record<ServiceName, MigrationClass[]> = {
  gateway: GATEWAY_MIGRATIONS,
  intents: INTENTS_MIGRATIONS,
  orchestrator: ORCHESTRATOR_MIGRATIONS,
  ledger: LEDGER_MIGRATIONS,
  webhooks: WEBHOOKS_MIGRATIONS,
  billing: BILLING_MIGRATIONS,
  dunning: DUNNING_MIGRATIONS,
};
