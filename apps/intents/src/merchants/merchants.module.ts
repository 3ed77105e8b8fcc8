import { Module } from '@nestjs/common';
import { MerchantEventsConsumer } from './merchant-events.consumer';
import { MerchantFeeSchedulesRepository } from './merchant-fee-schedules.repository';
import { MerchantFeeSchedules } from './merchant-fee-schedules.service';

@Module({
  controllers: [MerchantEventsConsumer],
  providers: [MerchantFeeSchedulesRepository, MerchantFeeSchedules],
  exports: [MerchantFeeSchedules],
})
export class MerchantsModule {}
