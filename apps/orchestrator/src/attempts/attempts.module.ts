import { Module } from '@nestjs/common';
import { AttemptsRepository } from './attempts.repository';

@Module({ providers: [AttemptsRepository], exports: [AttemptsRepository] })
export class AttemptsModule {}
