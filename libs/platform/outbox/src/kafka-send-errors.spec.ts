import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { classifySendFailure, describeSendFailure } from './kafka-send-errors';

const protocolError = (type: string, code: number, retriable: boolean): KafkaJSProtocolError =>
  new KafkaJSProtocolError({ type, code, retriable, message: `${type} from the broker` } as never);

describe('classifySendFailure', () => {
  it('calls a record the broker refuses for good refused (too large, invalid)', () => {
    expect(classifySendFailure(protocolError('MESSAGE_TOO_LARGE', 10, false))).toBe('refused');
    expect(classifySendFailure(protocolError('INVALID_RECORD', 87, false))).toBe('refused');
  });

  it('finds the refusal inside kafkajs wrappers', () => {
    const aggregate = new KafkaJSAggregateError('send failed', [
      protocolError('MESSAGE_TOO_LARGE', 10, false),
    ]);

    expect(classifySendFailure(aggregate)).toBe('refused');
  });

  it('calls a missing topic missing_topic even after kafkajs gave up retrying', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(
      protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, true),
      {
        retryCount: 5,
        retryTime: 2_000,
      },
    );

    expect(classifySendFailure(exhausted)).toBe('missing_topic');
  });

  it('calls a broker that stays unreachable transient, though kafkajs marks the wrapper non-retriable', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(
      new KafkaJSConnectionError('Connection error: ECONNREFUSED'),
      {
        retryCount: 5,
        retryTime: 2_000,
      },
    );

    expect(exhausted.retriable).toBe(false);
    expect(classifySendFailure(exhausted)).toBe('transient');
    expect(classifySendFailure(protocolError('LEADER_NOT_AVAILABLE', 5, true))).toBe('transient');
    expect(classifySendFailure(new Error('socket hang up'))).toBe('transient');
  });
});

describe('describeSendFailure', () => {
  it('names the broker error type for the log and the row', () => {
    expect(describeSendFailure(protocolError('MESSAGE_TOO_LARGE', 10, false))).toBe(
      'MESSAGE_TOO_LARGE: MESSAGE_TOO_LARGE from the broker',
    );
    expect(describeSendFailure(new Error('socket hang up'))).toBe('socket hang up');
  });
});
