import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'CurrencyAmount' })
export class CurrencyAmountSchema {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: 'integer', example: 4680 })
  amount!: number;
}

@ApiSchema({ name: 'Balance' })
export class BalanceSchema {
  @ApiProperty({ enum: ['balance'] })
  object!: string;

  @ApiProperty({ example: 'mer_8Hq2kLm3Np4Qr5St' })
  merchant_id!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Set when the balance was asked as of a past time',
  })
  as_of!: string | null;

  @ApiProperty({ type: () => [CurrencyAmountSchema], description: 'Captures minus fees minus refunds' })
  available!: CurrencyAmountSchema[];

  @ApiProperty({
    type: () => [CurrencyAmountSchema],
    description: 'Authorizations not yet captured or released',
  })
  pending!: CurrencyAmountSchema[];

  @ApiProperty({ type: () => [CurrencyAmountSchema], description: 'Fees paid' })
  fees!: CurrencyAmountSchema[];
}

@ApiSchema({ name: 'Posting' })
export class PostingSchema {
  @ApiProperty({ example: 'merchant_payable:mer_8Hq2kLm3Np4Qr5St' })
  account!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: ['debit', 'credit'] })
  direction!: string;

  @ApiProperty({ type: 'integer' })
  amount!: number;

  @ApiProperty()
  pending!: boolean;
}

@ApiSchema({ name: 'LedgerEntry' })
export class LedgerEntrySchema {
  @ApiProperty({ example: 'le_42' })
  id!: string;

  @ApiProperty({ enum: ['ledger_entry'] })
  object!: string;

  @ApiProperty({
    enum: [
      'authorization_hold',
      'capture',
      'refund',
      'hold_void',
      'capture_reversal',
      'refund_reversal',
      'late_success',
      'late_success_reversal',
    ],
  })
  kind!: string;

  @ApiProperty()
  merchant_id!: string;

  @ApiProperty({ type: 'string', nullable: true })
  payment_intent!: string | null;

  @ApiProperty({ format: 'uuid' })
  source_event_id!: string;

  @ApiProperty({ type: 'string', nullable: true })
  voids_entry!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  reverses_entry!: string | null;

  @ApiProperty({ format: 'date-time' })
  occurred_at!: string;

  @ApiProperty({ format: 'date-time' })
  created!: string;

  @ApiProperty({ type: () => [PostingSchema] })
  postings!: PostingSchema[];
}

@ApiSchema({ name: 'LedgerEntryList' })
export class LedgerEntryListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [LedgerEntrySchema], description: 'Newest first' })
  data!: LedgerEntrySchema[];

  @ApiProperty()
  has_more!: boolean;
}

@ApiSchema({ name: 'VerifyViolation' })
export class VerifyViolationSchema {
  @ApiProperty({ example: 'entry_unbalanced' })
  check!: string;

  @ApiProperty()
  detail!: string;
}

@ApiSchema({ name: 'VerifyReport' })
export class VerifyReportSchema {
  @ApiProperty()
  balanced!: boolean;

  @ApiProperty({ type: 'integer' })
  entries!: number;

  @ApiProperty({ type: 'integer' })
  postings!: number;

  @ApiProperty({ type: 'integer' })
  accounts!: number;

  @ApiProperty({ type: () => [VerifyViolationSchema] })
  violations!: VerifyViolationSchema[];

  @ApiProperty({ format: 'date-time' })
  checked_at!: string;
}
