import { tokensMatch } from './internal-token.guard';
import { ApiError } from './api-error';

describe('tokensMatch', () => {
  it('accepts only the exact token', () => {
    expect(tokensMatch('s3cret-internal-token', 's3cret-internal-token')).toBe(true);
    expect(tokensMatch('s3cret-internal-tokeX', 's3cret-internal-token')).toBe(false);
    expect(tokensMatch('short', 's3cret-internal-token')).toBe(false);
    expect(tokensMatch(undefined, 's3cret-internal-token')).toBe(false);
  });
});

describe('ApiError', () => {
  it('renders the Stripe error shape with param and request id', () => {
    expect(ApiError.invalidParam('amount', 'amount must be an integer').body('req_1')).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        message: 'amount must be an integer',
        param: 'amount',
        request_id: 'req_1',
      },
    });
  });
});
