import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { REFUND_STATUSES } from '@payflow/contracts';

@ApiSchema({ name: 'Refund' })
export class RefundSchema {
  @ApiProperty({ example: 're_9aBc' })
  id!: string;

  @ApiProperty({ enum: ['refund'] })
  object!: string;

  @ApiProperty({ example: 'pi_3xYz' })
  payment_intent!: string;

  @ApiProperty({ type: 'integer', example: 5000 })
  amount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: REFUND_STATUSES })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'customer_request' })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  created!: string;
}

@ApiSchema({ name: 'RefundList' })
export class RefundListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [RefundSchema] })
  data!: RefundSchema[];

  @ApiProperty()
  has_more!: boolean;
}
