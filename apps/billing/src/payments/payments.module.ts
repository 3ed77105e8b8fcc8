import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { PaymentAnswersConsumer } from './payment-answers.consumer';
import { PaymentAnswers } from './payment-answers.service';

/** Intents' answers to billing's payment requests (the consumer of `payflow.intents.v1`). */
@Module({
  imports: [InvoicesModule],
  controllers: [PaymentAnswersConsumer],
  providers: [PaymentAnswers],
})
export class PaymentsModule {}
