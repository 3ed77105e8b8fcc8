import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { AttemptResults } from './attempt-results.service';
import { Compensations } from './compensations.service';

@Module({
  imports: [AttemptsModule],
  providers: [AttemptResults, Compensations],
  exports: [AttemptResults, Compensations],
})
export class ResultsModule {}
