import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { AttemptResults } from './attempt-results.service';

@Module({ imports: [AttemptsModule], providers: [AttemptResults], exports: [AttemptResults] })
export class ResultsModule {}
