import { Global, Module } from '@nestjs/common';
import { ClockSubscriptions } from './clock-subscriptions';
import { CustomerTime } from './customer-time';
import { TestClockAdvance } from './test-clock-advance';
import { TestClockAdvanceRunner } from './test-clock-advance.runner';
import { TestClockGates } from './test-clock-gates';
import { TestClocksController } from './test-clocks.controller';
import { TestClocksRepository } from './test-clocks.repository';
import { TestClocksService } from './test-clocks.service';

/**
 * Test clocks and the customer's time (DESIGN.md "Time"). Global: everything in billing that reads
 * time for a customer uses `CustomerTime`, and dunning's module (issue 12) registers its gate on
 * `TestClockGates`. `SubscriptionStreams` (a deleted clock cancels its subscriptions) and
 * `ScheduledWork` (the saga runs the clock's work) come from their global modules.
 */
@Global()
@Module({
  controllers: [TestClocksController],
  providers: [
    CustomerTime,
    TestClockGates,
    TestClocksRepository,
    TestClocksService,
    ClockSubscriptions,
    TestClockAdvance,
    TestClockAdvanceRunner,
  ],
  exports: [CustomerTime, TestClockGates, TestClockAdvance, TestClockAdvanceRunner],
})
export class TestClocksModule {}
