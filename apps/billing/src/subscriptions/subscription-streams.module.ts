import { Global, Module } from '@nestjs/common';
import { SubscriptionStreams } from './subscription-streams';

/**
 * Global: the streams are written from subscriptions (the API and its scheduled work), payments
 * (a paid first invoice makes the subscription `active`, a failed renewal `past_due`), test clocks
 * (a deleted clock cancels its subscriptions) and later dunning's outcomes — all through this one
 * writer, without import cycles between those modules.
 */
@Global()
@Module({ providers: [SubscriptionStreams], exports: [SubscriptionStreams] })
export class SubscriptionStreamsModule {}
