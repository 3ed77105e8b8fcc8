import { Module } from '@nestjs/common';
import { RefundsModule } from '../refunds/refunds.module';
import { StateMachineModule } from '../state-machine/state-machine.module';
import { PaymentResultsConsumer } from './payment-results.consumer';
import { PaymentResultsService } from './payment-results.service';

@Module({
  imports: [StateMachineModule, RefundsModule],
  controllers: [PaymentResultsConsumer],
  providers: [PaymentResultsService],
  exports: [PaymentResultsService],
})
export class ResultsModule {}
