import { ATTEMPT_STATUSES } from '../attempts/attempt';
import { errorTypeOf } from './error-type';

describe('errorTypeOf', () => {
  const errorClasses = ['declined', 'not_executed', 'indeterminate', 'breaker_open', null] as const;

  it('covers every status and error class', () => {
    const table = ATTEMPT_STATUSES.flatMap((status) =>
      errorClasses.map((error_class) => [status, error_class, errorTypeOf({ status, error_class })]),
    );
    expect(table).toEqual([
      ...errorClasses.map((c) => ['pending', c, null]),
      ...errorClasses.map((c) => ['succeeded', c, null]),
      ...errorClasses.map((c) => ['declined', c, 'card_error']),
      ['failed', 'declined', 'invalid_request_error'],
      ['failed', 'not_executed', 'api_error'],
      ['failed', 'indeterminate', 'api_error'],
      ['failed', 'breaker_open', 'api_error'],
      ['failed', null, 'api_error'],
      ...errorClasses.map((c) => ['unknown', c, null]),
    ]);
  });
});
