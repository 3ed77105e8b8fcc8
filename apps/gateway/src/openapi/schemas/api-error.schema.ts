import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

const ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'idempotency_error',
  'rate_limit_error',
  'api_error',
];

@ApiSchema({ name: 'ErrorDetail' })
export class ApiErrorDetailSchema {
  @ApiProperty({ enum: ERROR_TYPES, example: 'invalid_request_error' })
  type!: string;

  @ApiProperty({
    example: 'parameter_invalid',
    description:
      'Machine-readable reason, e.g. resource_missing, invalid_state_transition, idempotency_key_in_use',
  })
  code!: string;

  @ApiProperty({ example: 'amount must not be less than 1' })
  message!: string;

  @ApiPropertyOptional({
    example: 'amount',
    description: 'The request field at fault, Stripe-style (`metadata[order]`)',
  })
  param?: string;

  @ApiProperty({
    example: 'req_6f1c2b9e-0c4e-4f5a-9d47-3b1c8f0e2a11',
    description: 'Also in the `Request-Id` response header',
  })
  request_id!: string;
}

/** Every error answer of the API, described once and referenced by every operation. */
@ApiSchema({ name: 'Error' })
export class ApiErrorSchema {
  @ApiProperty({ type: () => ApiErrorDetailSchema })
  error!: ApiErrorDetailSchema;
}
