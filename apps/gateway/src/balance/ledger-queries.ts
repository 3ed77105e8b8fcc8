import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `GET /v1/balance` query. */
export class BalanceQuery {
  @ApiPropertyOptional({
    description: 'The balance as it was at this time (ISO 8601); now when absent',
    example: '2026-01-31T23:59:59Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 date-time' })
  as_of?: string;
}

/** `GET /v1/ledger/entries` query: newest first, cursor pagination. */
export class LedgerEntriesQuery {
  @ApiPropertyOptional({ description: 'Page size', type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(100, { message: '$property must be at most 100' })
  limit = 10;

  @ApiPropertyOptional({
    description: 'Return entries older than this entry (an id of the previous page)',
    example: 'le_42',
  })
  @IsOptional()
  @Matches(/^le_\d{1,18}$/, { message: '$property must be a ledger entry id (le_…)' })
  starting_after?: string;
}
