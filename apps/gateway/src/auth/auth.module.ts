import { Global, Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { AdminKeyGuard } from './admin-key.guard';
import { ApiKeyGuard } from './api-key.guard';
import { MerchantAuthenticator } from './merchant-authenticator';
import { MerchantIsolationGuard } from './merchant-isolation.guard';

/** Who is calling: merchants by API key, operators by the admin key. */
@Global()
@Module({
  imports: [MerchantsModule, ApiKeysModule],
  providers: [MerchantAuthenticator, ApiKeyGuard, AdminKeyGuard, MerchantIsolationGuard],
  exports: [MerchantAuthenticator, ApiKeyGuard, AdminKeyGuard, MerchantIsolationGuard],
})
export class AuthModule {}
