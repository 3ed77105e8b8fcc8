import { Module } from '@nestjs/common';
import { StateMachineModule } from '../state-machine/state-machine.module';
import { IntentChangeListener } from './intent-change-listener';
import { SyncWait } from './sync-wait';

@Module({
  imports: [StateMachineModule],
  providers: [IntentChangeListener, SyncWait],
  exports: [SyncWait, IntentChangeListener],
})
export class SyncWaitModule {}
