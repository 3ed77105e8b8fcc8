import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, InternalApiConfig } from '@payflow/platform/config';

export class LedgerConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  LEDGER_PORT = 8083;

  /** Most events booked in one transaction. */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(5000)
  LEDGER_BATCH_SIZE = 1000;
}
