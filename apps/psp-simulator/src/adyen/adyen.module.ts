import { Module } from '@nestjs/common';
import { AdyenController } from './adyen.controller';
import { AdyenPaymentsService } from './adyen-payments.service';

@Module({ controllers: [AdyenController], providers: [AdyenPaymentsService], exports: [AdyenPaymentsService] })
export class AdyenSimulatorModule {}
