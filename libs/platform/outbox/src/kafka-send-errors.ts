/**
 * What a failed Kafka send means for the rows in it:
 * - `refused`: the broker refuses these records for good (too large, invalid): retrying can never
 *   succeed, so the row that causes it must be set aside;
 * - `missing_topic`: the topic does not exist (yet): keep the rows and back off;
 * - `transient`: anything else (broker down, leader moving, timeouts): keep the rows and retry.
 */
export type SendFailure = 'refused' | 'missing_topic' | 'transient';

interface KafkaErrorLike {
  name?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  errors?: unknown[];
}

/** Errors kafkajs wraps: retries exceeded (`cause`) and per-broker aggregates (`errors`). */
function* causesOf(error: unknown, depth = 0): Generator<KafkaErrorLike> {
  if (!error || typeof error !== 'object' || depth > 8) return;
  const e = error as KafkaErrorLike;
  yield e;
  if (e.cause) yield* causesOf(e.cause, depth + 1);
  for (const inner of e.errors ?? []) yield* causesOf(inner, depth + 1);
}

/**
 * Only a broker's protocol error says anything about the records; a wrapper that is "non-retriable"
 * because kafkajs ran out of retries (a broker that stayed down) is transient for the relay.
 */
export function classifySendFailure(error: unknown): SendFailure {
  let failure: SendFailure = 'transient';
  for (const e of causesOf(error)) {
    if (e.name !== 'KafkaJSProtocolError') continue;
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') failure = 'missing_topic';
    else if (e.retriable === false) return 'refused';
  }
  return failure;
}

/** The broker's error type (e.g. MESSAGE_TOO_LARGE) when there is one, for logs and the row's reason. */
export function describeSendFailure(error: unknown): string {
  for (const e of causesOf(error)) {
    if (e.name === 'KafkaJSProtocolError' && e.type) return `${e.type}: ${(e as Error).message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
