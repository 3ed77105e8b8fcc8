import { Module } from '@nestjs/common';
import { MerchantAnnouncer } from './merchant-announcer';
import { MerchantsRepository } from './merchants.repository';

@Module({
  providers: [MerchantsRepository, MerchantAnnouncer],
  exports: [MerchantsRepository, MerchantAnnouncer],
})
export class MerchantsModule {}
