import { Kafka } from 'kafkajs';
import { DeadLetter, readDeadLetters } from './dead-letters';
import { DlqSettings } from './dlq-config';
import { RedriveLog, RedriveRecord } from './redrive-log';

export interface Listing {
  deadLetters: DeadLetter[];
  /** Redrives recorded, by dead letter position. */
  redrives: Map<string, RedriveRecord>;
}

/** Every dead letter of the configured topics (or one of them) and which were redriven. */
export async function listDeadLetters(kafka: Kafka, settings: DlqSettings, topic?: string): Promise<Listing> {
  const log = new RedriveLog(kafka, settings.redriveLogTopic, settings.readerGroupPrefix);
  const [deadLetters, redrives] = await Promise.all([readDeadLetters(kafka, settings, topic), log.load()]);
  return { deadLetters, redrives };
}
