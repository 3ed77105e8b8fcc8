import { socketErrorCode, transportError } from './transport-errors';

describe('transport errors', () => {
  it('finds the socket code anywhere in the cause chain', () => {
    const nested = new TypeError('fetch failed', {
      cause: new Error('wrapper', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
    });
    expect(socketErrorCode(nested)).toBe('ECONNRESET');
    expect(socketErrorCode(new Error('plain'))).toBeUndefined();
  });

  it('names the timeout it waited for', () => {
    const error = transportError('adyen', Object.assign(new Error('t'), { code: 'ETIMEDOUT' }), 750);
    expect(error).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_timeout',
      message: 'adyen did not answer within 750 ms',
    });
  });

  it('treats an unexplained failure as indeterminate: the PSP may have acted', () => {
    expect(transportError('stripe', new Error('???'))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
    });
  });
});
