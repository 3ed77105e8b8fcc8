import { Global, Module } from '@nestjs/common';
import { UpstreamClient } from './upstream-client';
import { UpstreamResponseInterceptor } from './upstream-response.interceptor';

@Global()
@Module({
  providers: [UpstreamClient, UpstreamResponseInterceptor],
  exports: [UpstreamClient, UpstreamResponseInterceptor],
})
export class ForwardingModule {}
