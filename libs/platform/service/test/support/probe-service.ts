import { DynamicModule, Module } from '@nestjs/common';
import { BaseServiceConfig } from '@payflow/platform/config';
import { ServiceRuntimeModule } from '../../src';

/**
 * The smallest service the platform can run: the intents schema's messaging tables (outbox, inbox,
 * consumer offsets) with none of its handlers, a relay, and a consumer of `topic` only. Tests of
 * the runtime itself (readiness, shutdown) start it through runService.
 */
@Module({})
export class ProbeServiceModule {
  static forRoot(config: BaseServiceConfig, topic: string): DynamicModule {
    return {
      module: ProbeServiceModule,
      imports: [ServiceRuntimeModule.forService({ service: 'intents', config, consumes: [topic] })],
    };
  }
}
