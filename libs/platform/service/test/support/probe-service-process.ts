/**
 * The probe service as a process of its own, so a test can SIGTERM it and time its exit.
 * Usage: node -r ./ts-register.js probe-service-process.ts <logical topic>   (config from the environment)
 * Prints `probe ready <port>` once it serves.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { BaseServiceConfig, loadConfigOrExit } from '@payflow/platform/config';
import { runService } from '../../src';
import { ProbeServiceModule } from './probe-service';

const config = loadConfigOrExit(BaseServiceConfig);
runService(ProbeServiceModule.forRoot(config, process.argv[2]), { service: 'intents', port: 0 })
  .then((app) => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    process.stdout.write(`probe ready ${port}\n`);
  })
  .catch((error) => {
    process.stderr.write(`probe failed to start: ${String(error)}\n`);
    process.exit(2);
  });
