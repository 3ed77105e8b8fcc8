import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { MERCHANT_EVENT_TYPES } from '@payflow/api';
import { InvoiceSchema, SubscriptionSchema } from '../openapi/schemas/billing.schema';
import { PaymentIntentSchema } from '../openapi/schemas/payment-intent.schema';
import { RefundSchema } from '../openapi/schemas/refund.schema';

@ApiSchema({ name: 'EventData' })
export class EventDataSchema {
  @ApiProperty({
    description:
      'The payment intent (`payment_intent.*`), refund (`refund.*`), invoice (`invoice.*`) or subscription (`customer.subscription.*`) as it was right after the change',
    oneOf: [
      { $ref: getSchemaPath(PaymentIntentSchema) },
      { $ref: getSchemaPath(RefundSchema) },
      { $ref: getSchemaPath(InvoiceSchema) },
      { $ref: getSchemaPath(SubscriptionSchema) },
    ],
  })
  object!: PaymentIntentSchema | RefundSchema | InvoiceSchema | SubscriptionSchema;
}

@ApiSchema({ name: 'Event' })
export class EventSchema {
  @ApiProperty({ example: 'evt_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['event'] })
  object!: string;

  @ApiProperty({ enum: MERCHANT_EVENT_TYPES })
  type!: string;

  @ApiProperty({ format: 'date-time', description: 'When the change happened' })
  created!: string;

  @ApiProperty({ type: () => EventDataSchema })
  data!: EventDataSchema;
}

@ApiSchema({ name: 'EventList' })
export class EventListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [EventSchema], description: 'Newest first; events are kept 30 days' })
  data!: EventSchema[];

  @ApiProperty()
  has_more!: boolean;
}
