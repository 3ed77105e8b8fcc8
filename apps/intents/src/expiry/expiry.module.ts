import { Module } from '@nestjs/common';
import { StateMachineModule } from '../state-machine/state-machine.module';
import { AuthorizationExpiry } from './authorization-expiry';
import { ExpiryScheduler } from './expiry.scheduler';

@Module({
  imports: [StateMachineModule],
  providers: [AuthorizationExpiry, ExpiryScheduler],
  exports: [AuthorizationExpiry],
})
export class ExpiryModule {}
