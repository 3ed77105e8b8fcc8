import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  IsMetadata,
  METADATA_MAX_KEYS,
  METADATA_MAX_KEY_LENGTH,
  METADATA_MAX_VALUE_LENGTH,
} from '../validation/metadata';
import { IsPaymentMethodToken } from '../validation/payment-method';
import { CUSTOMER_ID_PATTERN, TEST_CLOCK_ID_PATTERN } from './billing-ids';
import { BillingPageQuery } from './page.query';

export const CUSTOMER_EMAIL_MAX_LENGTH = 512;
export const CUSTOMER_NAME_MAX_LENGTH = 256;

const METADATA_DOC = {
  description: `Up to ${METADATA_MAX_KEYS} keys of at most ${METADATA_MAX_KEY_LENGTH} characters with string values of at most ${METADATA_MAX_VALUE_LENGTH}`,
  type: 'object',
  additionalProperties: { type: 'string', maxLength: METADATA_MAX_VALUE_LENGTH },
  maxProperties: METADATA_MAX_KEYS,
  example: { account: 'A-1234' },
} as const;

/** Fields a customer is created with and may change later (all optional, as in Stripe). */
abstract class CustomerFields {
  @ApiPropertyOptional({
    example: 'jenny@example.com',
    maxLength: CUSTOMER_EMAIL_MAX_LENGTH,
    format: 'email',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(CUSTOMER_EMAIL_MAX_LENGTH, {
    message: `$property must be at most ${CUSTOMER_EMAIL_MAX_LENGTH} characters`,
  })
  @IsEmail({}, { message: '$property must be an email address' })
  email?: string;

  @ApiPropertyOptional({ example: 'Jenny Rosen', maxLength: CUSTOMER_NAME_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(CUSTOMER_NAME_MAX_LENGTH, {
    message: `$property must be at most ${CUSTOMER_NAME_MAX_LENGTH} characters`,
  })
  name?: string;

  @ApiPropertyOptional({
    description:
      'The payment method invoices are charged to, a token (`pm_…`, e.g. a test card), never card data. Needed to subscribe without a trial.',
    example: 'pm_card_visa',
    maxLength: 255,
  })
  @IsOptional()
  @IsPaymentMethodToken()
  payment_method?: string;

  @ApiPropertyOptional(METADATA_DOC)
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;
}

/** `POST /v1/customers`. */
export class CreateCustomerRequest extends CustomerFields {
  @ApiPropertyOptional({
    description: 'A test clock (`clock_…`) the customer lives on; fixed at creation',
    example: 'clock_1a2b3c4d5e6f7a8b9c0d1e2f',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(TEST_CLOCK_ID_PATTERN, { message: '$property must be a test clock id (clock_…)' })
  test_clock?: string;
}

/**
 * `POST /v1/customers/{id}`: only the fields given change. A new `payment_method` makes dunning try
 * the customer's past-due invoices again at once. `test_clock` cannot change (Stripe's rule).
 */
export class UpdateCustomerRequest extends CustomerFields {}

/** `GET /v1/customers`: newest first. */
export class ListCustomersQuery extends BillingPageQuery {
  @ApiPropertyOptional({
    description: 'Customers created before this one (an id of the previous page)',
    example: 'cus_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(CUSTOMER_ID_PATTERN, { message: '$property must be a customer id (cus_…)' })
  starting_after?: string;
}
