/**
 * Tells an infrastructure failure (the database or the broker was unreachable, restarting, failing
 * over, or made this transaction lose a race) from a failure of the work itself. DESIGN.md "Faults":
 * the first kind is waited out, however long it lasts; only the second kind counts toward
 * CONSUMER_MAX_ATTEMPTS and ends in a dead-letter topic.
 *
 * Statement and lock timeouts (57014, 55P03) are deliberately NOT infrastructure: they repeat on the
 * same input (a slow query, a lock a poison message keeps waiting for), so waiting them out forever
 * would let one message hold its partition for good.
 */

/** Socket errors of Node (errno codes) that mean the peer could not be reached or went away. */
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs outside the whole classes below: admin/crash shutdown and "cannot connect now"
 * (a server starting or stopping), serialization failure and deadlock (retrying succeeds).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
/** Whole SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many connections, disk full, out of memory). */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53'];
/** Failures of the work itself even though they look like waiting: statement and lock timeouts. */
const HANDLER_SQLSTATES = new Set(['57014', '55P03']);

/** Messages of node-postgres / pg-pool for connections that failed or died, which carry no code. */
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error and is not queryable/i,
  /client was closed and is not queryable/i,
  /cannot use a pool after calling end on the pool/i,
  /terminating connection due to/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** kafkajs errors that mean the broker could not be reached or did not answer in time. */
const KAFKA_CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
]);

/**
 * TypeORM releases a query runner as soon as its connection emits 'error' (the server terminated
 * it, the socket died), and every later query of that transaction — its ROLLBACK included — throws
 * one of these instead of the connection error. Inside a transaction the transport opened, that is
 * a lost connection. (The only other cause, a handler using its transaction after it ended, is a
 * bug that would show as a partition waiting out a "failure" forever, visible in
 * consumer_infrastructure_waiting, rather than as silent dead letters.)
 */
const TYPEORM_RELEASED_CONNECTION_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  retriable?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** How deep wrapped causes are followed (TypeORM → pg, kafkajs retries → connection error). */
const MAX_DEPTH = 6;

type Verdict = 'infrastructure' | 'handler' | 'unknown';

function classify(error: unknown, depth: number): Verdict {
  if (depth > MAX_DEPTH || error === null || typeof error !== 'object') return 'unknown';
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code) {
    if (HANDLER_SQLSTATES.has(code)) return 'handler';
    if (TRANSIENT_SQLSTATES.has(code) || SOCKET_ERROR_CODES.has(code)) return 'infrastructure';
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return 'infrastructure';
  }
  // A wrapper says nothing about itself; what it wraps decides (a timeout wrapped stays a timeout).
  for (const inner of wrapped(e)) {
    const verdict = classify(inner, depth + 1);
    if (verdict !== 'unknown') return verdict;
  }
  if (typeof e.name === 'string' && KAFKA_CONNECTION_ERRORS.has(e.name)) return 'infrastructure';
  if (typeof e.name === 'string' && TYPEORM_RELEASED_CONNECTION_ERRORS.has(e.name)) return 'infrastructure';
  if (e.retriable === true) return 'infrastructure';
  const message = typeof e.message === 'string' ? e.message : '';
  if (CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return 'infrastructure';
  return 'unknown';
}

function wrapped(e: ErrorLike): unknown[] {
  const inner = [e.driverError, e.originalError, e.cause];
  if (Array.isArray(e.errors)) inner.push(...e.errors);
  return inner.filter((value) => value !== undefined && value !== e);
}

/**
 * True when `error` (or what it wraps: TypeORM's `driverError`, kafkajs' `originalError`/`cause`,
 * an AggregateError's `errors`) is a connection failure, SQLSTATE class 08 or 53, 57P01–57P03,
 * 40001, 40P01, or a retriable Kafka error. Anything else — including 57014 and 55P03 — is the
 * handler's own failure.
 */
export function isInfrastructureError(error: unknown): boolean {
  return classify(error, 0) === 'infrastructure';
}
