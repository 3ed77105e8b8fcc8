import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { StateMachineModule } from '../state-machine/state-machine.module';
import { SyncWaitModule } from '../sync-wait/sync-wait.module';
import { PaymentIntentsController } from './payment-intents.controller';
import { PaymentIntentsService } from './payment-intents.service';

@Module({
  imports: [StateMachineModule, IdempotencyModule, SyncWaitModule],
  controllers: [PaymentIntentsController],
  providers: [PaymentIntentsService],
})
export class PaymentIntentsModule {}
