import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { BreakersModule } from '../breakers/breakers.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PspModule } from '../psp/psp.module';
import { ResultsModule } from '../results/results.module';
import { RoutingModule } from '../routing/routing.module';
import { AttemptExecutor } from './attempt-executor';
import { AttemptWorker } from './attempt-worker';
import { OutcomeRecorder } from './outcome-recorder';

@Module({
  imports: [AttemptsModule, BreakersModule, PspModule, ResultsModule, RoutingModule, NotificationsModule],
  providers: [AttemptExecutor, AttemptWorker, OutcomeRecorder],
  exports: [AttemptWorker],
})
export class WorkerModule {}
