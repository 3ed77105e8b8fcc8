import { Module } from '@nestjs/common';
import { PaymentIntentsRepository } from '../payment-intents/payment-intents.repository';
import { IntentTransitions } from './intent-transitions';

/** The transition table's writer, shared by requests, the results consumer and the expiry scheduler. */
@Module({
  providers: [PaymentIntentsRepository, IntentTransitions],
  exports: [PaymentIntentsRepository, IntentTransitions],
})
export class StateMachineModule {}
