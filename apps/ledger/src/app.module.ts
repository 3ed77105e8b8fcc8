import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TOPICS } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiExceptionFilter, InternalTokenGuard, apiValidationPipe } from '@payflow/platform/http';
import { ServiceRuntimeModule } from '@payflow/platform/service';
import { BalancesModule } from './balances/balances.module';
import { EntriesModule } from './entries/entries.module';
import { LedgerConfig } from './ledger.config';
import { PostingsModule } from './postings/postings.module';
import { VerifyModule } from './verify/verify.module';

@Module({})
export class LedgerAppModule {
  static forRoot(config: LedgerConfig, clock?: Clock): DynamicModule {
    return {
      module: LedgerAppModule,
      imports: [
        ServiceRuntimeModule.forService({
          service: 'ledger',
          config,
          consumes: [TOPICS.intents],
          consumerChunkSize: config.LEDGER_BATCH_SIZE,
          clock,
        }),
        PostingsModule,
        BalancesModule,
        EntriesModule,
        VerifyModule,
      ],
      providers: [
        { provide: APP_GUARD, useValue: new InternalTokenGuard(config.INTERNAL_API_TOKEN) },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
