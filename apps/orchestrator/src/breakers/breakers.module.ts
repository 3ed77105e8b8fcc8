import { Module } from '@nestjs/common';
import { ProviderBreakers } from './provider-breakers';

@Module({ providers: [ProviderBreakers], exports: [ProviderBreakers] })
export class BreakersModule {}
