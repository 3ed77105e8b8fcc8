import { bodyParserErrorToApiError } from './body-parsers';

describe('bodyParserErrorToApiError', () => {
  it('turns a too large body into 413 body_too_large', () => {
    const error = bodyParserErrorToApiError({
      status: 413,
      type: 'entity.too.large',
      message: 'request entity too large',
    });
    expect(error.status).toBe(413);
    expect(error.body('req_1').error).toMatchObject({
      type: 'invalid_request_error',
      code: 'body_too_large',
      request_id: 'req_1',
    });
  });

  it('turns malformed JSON into 400 invalid_json on body', () => {
    expect(
      bodyParserErrorToApiError({ status: 400, type: 'entity.parse.failed' }).body().error,
    ).toMatchObject({ code: 'invalid_json', param: 'body' });
  });

  it('keeps other client errors 4xx and never makes a 5xx', () => {
    expect(
      bodyParserErrorToApiError({
        status: 415,
        type: 'encoding.unsupported',
        message: 'unsupported content encoding "br"',
      }).status,
    ).toBe(415);
    expect(bodyParserErrorToApiError({ status: 500, message: 'odd' }).status).toBe(400);
    expect(bodyParserErrorToApiError({}).status).toBe(400);
  });
});
