import { Module } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway.config';
import { ApiKeyHasher } from './api-key';
import { ApiKeysRepository } from './api-keys.repository';

@Module({
  providers: [
    ApiKeysRepository,
    {
      provide: ApiKeyHasher,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => new ApiKeyHasher(config.API_KEY_HASH_SECRET),
    },
  ],
  exports: [ApiKeysRepository, ApiKeyHasher],
})
export class ApiKeysModule {}
