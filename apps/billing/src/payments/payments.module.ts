import { Module } from '@nestjs/common';
import { PaymentAnswersConsumer } from './payment-answers.consumer';
import { PaymentAnswers } from './payment-answers.service';

/** Intents' answers to billing's payment requests (the consumer of `payflow.intents.v1`); invoices come from their global module. */
@Module({
  controllers: [PaymentAnswersConsumer],
  providers: [PaymentAnswers],
})
export class PaymentsModule {}
