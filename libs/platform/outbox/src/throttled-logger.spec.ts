import { Logger } from '@nestjs/common';
import { ThrottledLogger } from './throttled-logger';

describe('ThrottledLogger', () => {
  it('logs a recurring condition once per interval, then with the count of repeats', () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let now = 0;
    const throttled = new ThrottledLogger(logger, 60_000, () => now);

    throttled.warn('topic', 'topic missing');
    now = 1_000;
    throttled.warn('topic', 'topic missing');
    throttled.warn('topic', 'topic missing');
    now = 61_000;
    throttled.warn('topic', 'topic missing');

    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      'topic missing',
      'topic missing (2 more since the last report)',
    ]);
  });

  it('reports at once again after the condition was cleared', () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const throttled = new ThrottledLogger(logger, 60_000, () => 0);

    throttled.warn('kafka', 'down');
    throttled.clear('kafka');
    throttled.warn('kafka', 'down');

    expect(warn).toHaveBeenCalledTimes(2);
  });
});
