import { Global, Module } from '@nestjs/common';
import { MerchantRateLimiter } from './merchant-rate-limiter';
import { RateLimitGuard } from './rate-limit.guard';

@Global()
@Module({ providers: [MerchantRateLimiter, RateLimitGuard], exports: [MerchantRateLimiter, RateLimitGuard] })
export class RateLimitModule {}
