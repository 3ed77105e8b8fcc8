import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isInfrastructureError } from './infrastructure-errors';

/** An error as node-postgres reports a server's ErrorResponse. */
function pgError(code: string, message = `server said ${code}`): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

/** A socket error as Node reports it (errno code on the error). */
function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}

/** TypeORM's wrapper around a driver error, as a failed query inside a transaction throws it. */
function typeorm(driverError: Error): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], driverError);
}

describe('isInfrastructureError', () => {
  describe('connection errors', () => {
    it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])(
      'a socket %s is infrastructure, bare or wrapped by TypeORM',
      (code) => {
        expect(isInfrastructureError(socketError(code))).toBe(true);
        expect(isInfrastructureError(typeorm(socketError(code)))).toBe(true);
      },
    );

    it.each([
      'Connection terminated unexpectedly',
      'Connection terminated',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'terminating connection due to administrator command',
    ])('node-postgres "%s" (no code) is infrastructure', (message) => {
      expect(isInfrastructureError(new Error(message))).toBe(true);
      expect(isInfrastructureError(typeorm(new Error(message)))).toBe(true);
    });

    it("TypeORM's released query runner (it releases one whose connection emitted 'error') is infrastructure", () => {
      expect(isInfrastructureError(new QueryRunnerAlreadyReleasedError())).toBe(true);
      expect(isInfrastructureError(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    });

    it("Node's AggregateError of every address refused is infrastructure", () => {
      const error = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], 'connect failed');
      expect(isInfrastructureError(error)).toBe(true);
    });
  });

  describe('SQLSTATEs', () => {
    it.each([
      ['08000', 'connection exception'],
      ['08003', 'connection does not exist'],
      ['08006', 'connection failure'],
      ['08001', 'unable to establish connection'],
      ['08P01', 'protocol violation'],
      ['53000', 'insufficient resources'],
      ['53100', 'disk full'],
      ['53200', 'out of memory'],
      ['53300', 'too many connections'],
      ['57P01', 'admin shutdown'],
      ['57P02', 'crash shutdown'],
      ['57P03', 'cannot connect now'],
      ['40001', 'serialization failure'],
      ['40P01', 'deadlock detected'],
    ])('%s (%s) is infrastructure, bare or wrapped by TypeORM', (code) => {
      expect(isInfrastructureError(pgError(code))).toBe(true);
      expect(isInfrastructureError(typeorm(pgError(code)))).toBe(true);
    });

    it.each([
      ['57014', 'statement timeout / query canceled'],
      ['55P03', 'lock not available (lock_timeout)'],
      ['23505', 'unique violation'],
      ['23514', 'check violation'],
      ['22P02', 'invalid text representation'],
      ['42P01', 'undefined table'],
      ['42501', 'insufficient privilege'],
      ['40000', 'transaction rollback (not a serialization failure)'],
      ['57000', 'operator intervention (class 57 is not wholly transient)'],
      ['P0001', 'raise exception from a trigger'],
    ])('%s (%s) is a handler failure', (code) => {
      expect(isInfrastructureError(pgError(code))).toBe(false);
      expect(isInfrastructureError(typeorm(pgError(code)))).toBe(false);
    });

    it('a statement timeout stays a handler failure even when its message mentions the connection', () => {
      const error = pgError('57014', 'canceling statement due to statement timeout on connection 7');
      expect(isInfrastructureError(typeorm(error))).toBe(false);
    });
  });

  describe('Kafka', () => {
    it('connection and request-timeout errors are infrastructure', () => {
      expect(isInfrastructureError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))).toBe(true);
      expect(
        isInfrastructureError(
          new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out', {
            broker: '127.0.0.1:9092',
            correlationId: 1,
            createdAt: 0,
            sentAt: 0,
            pendingDuration: 0,
          } as never),
        ),
      ).toBe(true);
    });

    it('an error kafkajs marks retriable is infrastructure', () => {
      const leaderMoved = new KafkaJSProtocolError({ type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true, message: 'x' } as never);
      expect(leaderMoved.retriable).toBe(true);
      expect(isInfrastructureError(leaderMoved)).toBe(true);
      expect(isInfrastructureError(new KafkaJSError('broker went away'))).toBe(true);
    });

    it('retries exhausted on a connection error are infrastructure; on a refused message they are not', () => {
      const onConnection = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection timeout'), {
        retryCount: 8,
        retryTime: 3000,
      });
      expect(isInfrastructureError(onConnection)).toBe(true);
      const onUnknown = new KafkaJSNumberOfRetriesExceeded(new Error('handler blew up'), { retryCount: 8, retryTime: 3000 });
      expect(isInfrastructureError(onUnknown)).toBe(false);
    });

    it('non-retriable protocol errors (message too large, invalid record) are not infrastructure', () => {
      const tooLarge = new KafkaJSProtocolError({ type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false, message: 'x' } as never);
      expect(isInfrastructureError(tooLarge)).toBe(false);
      expect(isInfrastructureError(new KafkaJSNonRetriableError('invalid record'))).toBe(false);
    });
  });

  describe('anything else', () => {
    it.each([
      ['a plain handler error', new Error('intent pi_1 is not capturable')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
      ['a string', 'boom'],
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['an object with a numeric code', { code: 6, message: 'nope' }],
    ])('%s is a handler failure', (_what, error) => {
      expect(isInfrastructureError(error)).toBe(false);
    });

    it('follows `cause` chains and stops on a cycle', () => {
      expect(isInfrastructureError(new Error('apply failed', { cause: socketError('ECONNRESET') }))).toBe(true);
      const cyclic = new Error('outer') as Error & { cause?: unknown };
      const inner = new Error('inner', { cause: cyclic });
      cyclic.cause = inner;
      expect(isInfrastructureError(cyclic)).toBe(false);
    });
  });
});
