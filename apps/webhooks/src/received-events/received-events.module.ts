import { Module } from '@nestjs/common';
import { ReceivedPspEvents } from './received-psp-events';
import { ReceivedPspEventsPruner } from './received-psp-events.pruner';

@Module({ providers: [ReceivedPspEvents, ReceivedPspEventsPruner], exports: [ReceivedPspEvents] })
export class ReceivedEventsModule {}
