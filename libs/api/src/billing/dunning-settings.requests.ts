import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { DUNNING_FINAL_ACTIONS, type DunningFinalAction } from '@payflow/contracts';

// The final actions are the contracts' (the dunning settings object and `dunning.exhausted` carry
// them): re-exported so the edge's DTO and OpenAPI schema name the same list.
export { DUNNING_FINAL_ACTIONS, type DunningFinalAction };
export const DUNNING_MAX_RETRIES = 12;
export const DUNNING_MAX_DAY = 60;
export const DEFAULT_RETRY_SCHEDULE_DAYS = [1, 3, 5, 7, 10, 12, 14] as const;

/** Strictly ascending: two retries on one day, or out of order, is a mistake to refuse, not to sort. */
function IsStrictlyAscending(): PropertyDecorator {
  return ValidateBy({
    name: 'isStrictlyAscending',
    validator: {
      validate: (value: unknown) =>
        !Array.isArray(value) ||
        value.every((day, i) => i === 0 || (day as number) > (value[i - 1] as number)),
      defaultMessage: () => 'retry_schedule_days must be strictly ascending',
    },
  });
}

/**
 * `POST /v1/dunning_settings` (API.md, "Dunning settings"; served by the dunning service): only the
 * fields given change. The gateway validates it, and the dunning service again.
 */
export class UpdateDunningSettingsRequest {
  @ApiPropertyOptional({
    type: [Number],
    minItems: 1,
    maxItems: DUNNING_MAX_RETRIES,
    example: DEFAULT_RETRY_SCHEDULE_DAYS,
    description: `Days after the first failure, strictly ascending, each 1–${DUNNING_MAX_DAY}, 1 to ${DUNNING_MAX_RETRIES} retries`,
  })
  @IsOptional()
  @IsArray({ message: '$property must be an array of days' })
  @ArrayMinSize(1, { message: '$property must have at least 1 day' })
  @ArrayMaxSize(DUNNING_MAX_RETRIES, { message: `$property must have at most ${DUNNING_MAX_RETRIES} days` })
  @IsInt({ each: true, message: '$property must contain whole days' })
  @Min(1, { each: true, message: '$property days must be at least 1' })
  @Max(DUNNING_MAX_DAY, { each: true, message: `$property days must be at most ${DUNNING_MAX_DAY}` })
  @IsStrictlyAscending()
  retry_schedule_days?: number[];

  @ApiPropertyOptional({
    enum: DUNNING_FINAL_ACTIONS,
    default: 'cancel',
    description: 'What happens to the subscription when retries are exhausted',
  })
  @IsOptional()
  @IsIn(DUNNING_FINAL_ACTIONS, { message: `$property must be one of ${DUNNING_FINAL_ACTIONS.join(', ')}` })
  final_action?: DunningFinalAction;

  @ApiPropertyOptional({
    default: false,
    description: 'Also mark the invoice uncollectible when retries are exhausted',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  mark_uncollectible?: boolean;
}
