import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ClockModule, SystemClock } from '@payflow/platform/clock';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { createServiceDataSource, dbTimeoutsOf, pgPoolOf } from '@payflow/platform/database';
import {
  HealthModule,
  kafkaConsumersCheck,
  latchedCheck,
  postgresCheck,
  relayCheck,
} from '@payflow/platform/health';
import { KafkaInboxServer, createKafka } from '@payflow/platform/messaging';
import { LoggingModule, MetricsModule } from '@payflow/platform/observability';
import { OutboxRelay, OutboxWriter } from '@payflow/platform/outbox';
import { reportConsumerState } from './consumer-state.metric';
import { OutboxRelayLifecycle } from './outbox-relay.lifecycle';
import { SERVICE_RUNTIME_OPTIONS, ServiceRuntimeOptions } from './service-runtime.options';

/**
 * Everything a PayFlow service runs on, composed once: JSON logs, /metrics, /healthz and /readyz,
 * the clock, its TypeORM data source (own role, own schema), Kafka, its outbox writer and relay,
 * and — when it consumes — its inbox transport, which main.ts connects as a Nest microservice.
 */
@Global()
@Module({})
export class ServiceRuntimeModule {
  static forService(options: ServiceRuntimeOptions): DynamicModule {
    const { service, config } = options;
    const clock = options.clock ?? new SystemClock();
    const url = serviceDatabaseUrl(service);

    const providers: Provider[] = [
      { provide: SERVICE_RUNTIME_OPTIONS, useValue: options },
      { provide: config.constructor, useValue: config },
      { provide: Kafka, useFactory: () => createKafka(service, config.KAFKA_BROKERS) },
      { provide: OutboxWriter, useValue: new OutboxWriter(service) },
      {
        provide: OutboxRelay,
        inject: [DataSource, Kafka],
        useFactory: (dataSource: DataSource, kafka: Kafka) =>
          new OutboxRelay({
            schema: service,
            service,
            pool: pgPoolOf(dataSource),
            connectionString: url,
            kafka,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
            connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
            retentionHours: config.OUTBOX_RETENTION_HOURS,
            clock,
          }),
      },
      OutboxRelayLifecycle,
      {
        provide: KafkaInboxServer,
        inject: [DataSource, Kafka],
        useFactory: (dataSource: DataSource, kafka: Kafka) => {
          if (!options.consumes?.length) return null;
          const inbox = new KafkaInboxServer({
            kafka,
            consumer: service,
            topics: options.consumes,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            dataSource,
            schema: service,
            maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
            retryBackoffMs: config.CONSUMER_RETRY_BACKOFF_MS,
            infrastructureBackoffMaxMs: config.CONSUMER_INFRASTRUCTURE_BACKOFF_MAX_MS,
            maxChunkSize: options.consumerChunkSize,
            // One transaction per partition in flight: as many as the pool holds.
            partitionsConsumedConcurrently: config.DB_POOL_MAX,
            inboxRetentionHours: config.INBOX_RETENTION_HOURS,
            clock,
          });
          reportConsumerState(service, inbox);
          return inbox;
        },
      },
    ];

    return {
      module: ServiceRuntimeModule,
      imports: [
        ClockModule.forRoot(clock),
        LoggingModule.forService(service, config.LOG_LEVEL),
        MetricsModule.forService(service, config.PROMETHEUS_PORT),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () =>
            createServiceDataSource({
              service,
              url,
              poolMax: config.DB_POOL_MAX,
              entities: options.entities,
              timeouts: dbTimeoutsOf(config),
            }).initialize(),
        }),
        HealthModule.forRootAsync({
          inject: [DataSource, OutboxRelay, KafkaInboxServer],
          // Ready = Postgres answers (DESIGN.md). Kafka only gates start-up: the relay connected and
          // the consumers got their first partitions; a later broker outage shows in metrics.
          useFactory: (dataSource: DataSource, relay: OutboxRelay, inbox: KafkaInboxServer | null) => [
            postgresCheck(dataSource),
            latchedCheck(relayCheck(relay)),
            ...(inbox ? [latchedCheck(kafkaConsumersCheck([inbox]))] : []),
          ],
        }),
      ],
      providers,
      exports: [
        SERVICE_RUNTIME_OPTIONS,
        config.constructor,
        Kafka,
        OutboxWriter,
        OutboxRelay,
        KafkaInboxServer,
      ],
    };
  }
}
