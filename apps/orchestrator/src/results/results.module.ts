import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { PspModule } from '../psp/psp.module';
import { AttemptResults } from './attempt-results.service';
import { Compensations } from './compensations.service';

@Module({
  imports: [AttemptsModule, PspModule],
  providers: [AttemptResults, Compensations],
  exports: [AttemptResults, Compensations],
})
export class ResultsModule {}
