import { Module } from '@nestjs/common';
import { PaymentIntentsController } from './payment-intents.controller';

@Module({ controllers: [PaymentIntentsController] })
export class PaymentIntentsModule {}
