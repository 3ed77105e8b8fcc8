import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { StateMachineModule } from '../state-machine/state-machine.module';
import { RefundsController } from './refunds.controller';
import { RefundsRepository } from './refunds.repository';
import { RefundsService } from './refunds.service';

@Module({
  imports: [StateMachineModule, IdempotencyModule],
  controllers: [RefundsController],
  providers: [RefundsRepository, RefundsService],
  exports: [RefundsRepository],
})
export class RefundsModule {}
