import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { closeConnectors, createConnectors, type PspConnectors } from '@payflow/psp';
import { OrchestratorConfig } from '../orchestrator.config';
import { pspConnectorsConfigFrom } from './psp-connectors.config';

/** Injection token of the `PspConnectors` (one connector per provider, from libs/psp). */
export const PSP_CONNECTORS = Symbol('PSP_CONNECTORS');

@Injectable()
class ConnectorsShutdown implements OnApplicationShutdown {
  constructor(@Inject(PSP_CONNECTORS) private readonly connectors: PspConnectors) {}

  async onApplicationShutdown(): Promise<void> {
    await closeConnectors(this.connectors);
  }
}

/** The PSP connectors, built once from the configuration and closed on shutdown. */
@Module({
  providers: [
    {
      provide: PSP_CONNECTORS,
      inject: [OrchestratorConfig],
      useFactory: (config: OrchestratorConfig) => createConnectors(pspConnectorsConfigFrom(config)),
    },
    ConnectorsShutdown,
  ],
  exports: [PSP_CONNECTORS],
})
export class PspModule {}
