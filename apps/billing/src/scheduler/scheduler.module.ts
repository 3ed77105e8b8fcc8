import { Global, Module } from '@nestjs/common';
import { ScheduledWork } from './scheduled-work';
import { SchedulerPoller } from './scheduler.poller';

/**
 * Global: subscriptions, invoices and test clocks schedule work and register their handlers on the
 * one `ScheduledWork`; the poller runs the wall clock's rows.
 */
@Global()
@Module({ providers: [ScheduledWork, SchedulerPoller], exports: [ScheduledWork, SchedulerPoller] })
export class SchedulerModule {}
