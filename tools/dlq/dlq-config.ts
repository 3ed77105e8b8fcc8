import { Matches, IsOptional } from 'class-validator';
import { ALL_TOPICS } from '@payflow/contracts';

/** What `npm run dlq` reads from the environment (validated; a bad value stops it naming the variable). */
export class DlqEnvironment {
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX = '';
}

/** Where dead letters are read from and where redrives are recorded, all as wire (prefixed) names. */
export interface DlqSettings {
  brokers: string;
  topicPrefix: string;
  /** Event topics whose dead-letter topics are read. */
  topics: string[];
  /** Compacted topic keyed by dead letter position: which were redriven, when, to where. */
  redriveLogTopic: string;
  /** Prefix of the throw-away consumer groups the tool reads with. */
  readerGroupPrefix: string;
}

export const REDRIVE_LOG_TOPIC = 'payflow.dlq.redrives.v1';

export function dlqSettings(env: DlqEnvironment): DlqSettings {
  const prefix = env.KAFKA_TOPIC_PREFIX;
  return {
    brokers: env.KAFKA_BROKERS,
    topicPrefix: prefix,
    topics: ALL_TOPICS.map((topic) => `${prefix}${topic}`),
    redriveLogTopic: `${prefix}${REDRIVE_LOG_TOPIC}`,
    readerGroupPrefix: `${prefix}payflow.dlq-tool`,
  };
}
