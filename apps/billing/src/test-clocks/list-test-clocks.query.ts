import { IsOptional, IsString, Matches } from 'class-validator';
import { BillingPageQuery, TEST_CLOCK_ID_PATTERN } from '@payflow/api';

/**
 * `GET /v1/test_clocks?limit&starting_after`: newest first, like every billing list. libs/api has
 * no list query for clocks (the gateway forwards the query string as it is), so billing checks it.
 */
export class ListTestClocksQuery extends BillingPageQuery {
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(TEST_CLOCK_ID_PATTERN, { message: '$property must be a test clock id (clock_…)' })
  starting_after?: string;
}
