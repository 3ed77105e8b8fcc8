import { ApiProperty, ApiSchema } from '@nestjs/swagger';

const FEE_FIXED = {
  type: 'object',
  nullable: true,
  additionalProperties: { type: 'integer', minimum: 0 },
  example: { USD: 30, EUR: 25 },
  description:
    'Fixed fee per ISO 4217 currency, in minor units; a currency the map does not name pays no fixed fee. ' +
    'null: the default schedule, 30 in every currency of exponent 2 and 0 in the others.',
} as const;

@ApiSchema({ name: 'Merchant' })
export class MerchantSchema {
  @ApiProperty({ example: 'mer_8Hq2kLm3Np4Qr5St' })
  id!: string;

  @ApiProperty({ enum: ['merchant'] })
  object!: string;

  @ApiProperty({ example: 'Acme Inc.' })
  name!: string;

  @ApiProperty({
    type: 'integer',
    example: 290,
    description: 'Proportional fee in basis points (290 = 2.9 %)',
  })
  fee_bps!: number;

  @ApiProperty(FEE_FIXED)
  fee_fixed!: Record<string, number> | null;

  @ApiProperty({ format: 'date-time' })
  created!: string;
}

@ApiSchema({ name: 'CreatedMerchant' })
export class CreatedMerchantSchema extends MerchantSchema {
  @ApiProperty({
    example: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
    description: 'The secret API key, shown only in this answer',
  })
  api_key!: string;
}

@ApiSchema({ name: 'ApiKeySummary' })
export class ApiKeySummarySchema {
  @ApiProperty({ example: 'key_2fGh8JkL0mNp3QrS' })
  id!: string;

  @ApiProperty({ example: 'sk_test_4eC3', description: 'The first characters of the key' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  created!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  revoked!: string | null;
}

@ApiSchema({ name: 'MerchantWithKeys' })
export class MerchantWithKeysSchema extends MerchantSchema {
  @ApiProperty({ type: () => [ApiKeySummarySchema] })
  api_keys!: ApiKeySummarySchema[];
}
