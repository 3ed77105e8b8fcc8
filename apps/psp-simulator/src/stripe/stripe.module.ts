import { Module } from '@nestjs/common';
import { StripeController } from './stripe.controller';
import { StripePaymentsService } from './stripe-payments.service';

@Module({ controllers: [StripeController], providers: [StripePaymentsService], exports: [StripePaymentsService] })
export class StripeSimulatorModule {}
