import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsUnixTimeOrIso } from './unix-time';

export const TEST_CLOCK_NAME_MAX_LENGTH = 300;

const FROZEN_TIME_DOC = {
  oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
  example: 1767225600,
};

/** `POST /v1/test_clocks`: a clock frozen at `frozen_time`, for customers created on it. */
export class CreateTestClockRequest {
  @ApiProperty({
    ...FROZEN_TIME_DOC,
    description: 'Unix seconds (Stripe) or an ISO 8601 time with a zone, forwarded as Unix seconds',
  })
  @IsUnixTimeOrIso()
  frozen_time!: number;

  @ApiPropertyOptional({ maxLength: TEST_CLOCK_NAME_MAX_LENGTH, example: 'Annual renewal rehearsal' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(TEST_CLOCK_NAME_MAX_LENGTH, {
    message: `$property must be at most ${TEST_CLOCK_NAME_MAX_LENGTH} characters`,
  })
  name?: string;
}

/**
 * `POST /v1/test_clocks/{id}/advance`: move the clock forward to `frozen_time` (billing refuses a
 * time not later than the clock's with a 400 naming `frozen_time`, and a clock still advancing with 409).
 */
export class AdvanceTestClockRequest {
  @ApiProperty({
    ...FROZEN_TIME_DOC,
    description: 'The new time, later than the clock’s: Unix seconds or an ISO 8601 time with a zone',
  })
  @IsUnixTimeOrIso()
  frozen_time!: number;
}
