import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ClockSync } from './clock-sync';
import { ClockSyncConsumer } from './clock-sync.consumer';
import { DueWork } from './due-work';
import { SchedulerPoller } from './scheduler.poller';

/** Time (DESIGN.md "Time"): the wall clock's poller and test clocks' syncs, both issuing through the cases' decisions. */
@Module({
  imports: [CasesModule],
  controllers: [ClockSyncConsumer],
  providers: [DueWork, SchedulerPoller, ClockSync],
  exports: [DueWork, SchedulerPoller, ClockSync],
})
export class SchedulerModule {}
