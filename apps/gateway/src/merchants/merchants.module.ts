import { Module } from '@nestjs/common';
import { MerchantsRepository } from './merchants.repository';

@Module({ providers: [MerchantsRepository], exports: [MerchantsRepository] })
export class MerchantsModule {}
