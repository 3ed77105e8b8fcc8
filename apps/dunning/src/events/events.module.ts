import { Global, Module } from '@nestjs/common';
import { DunningPublisher } from './dunning-publisher';

/** Global: cases, scheduler and clock sync all publish through the one publisher. */
@Global()
@Module({ providers: [DunningPublisher], exports: [DunningPublisher] })
export class EventsModule {}
