import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module';
import { StateMachineModule } from '../state-machine/state-machine.module';
import { InvoicePaymentRequestsConsumer } from './invoice-payment-requests.consumer';
import { InvoicePaymentRequestsRepository } from './invoice-payment-requests.repository';
import { InvoicePaymentsService } from './invoice-payments.service';

@Module({
  imports: [StateMachineModule, MerchantsModule],
  controllers: [InvoicePaymentRequestsConsumer],
  providers: [InvoicePaymentRequestsRepository, InvoicePaymentsService],
})
export class InvoicePaymentsModule {}
