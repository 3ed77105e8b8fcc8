import { HttpStatus } from '@nestjs/common';
import { json, raw, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '@payflow/platform/http';

/** API.md: bodies over 1 MB are refused (413 `body_too_large`). */
export const BODY_LIMIT = '1mb';

/** What body-parser passes to `next` when it refuses a body (an http-errors error). */
interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

/**
 * body-parser's refusals as API errors. Nest maps only its malformed-JSON SyntaxError itself; any
 * other parser error (413 too large, 415 encoding, 400 aborted) would reach the exception filter as
 * an unknown error and become a 500, and API.md allows no 5xx for any input.
 */
export function bodyParserErrorToApiError(error: BodyParserError): ApiError {
  if (error.type === 'entity.too.large' || error.status === HttpStatus.PAYLOAD_TOO_LARGE) {
    return new ApiError(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'invalid_request_error',
      'body_too_large',
      'The request body exceeds 1 MB',
      'body',
    );
  }
  if (error.type === 'entity.parse.failed') {
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      'invalid_request_error',
      'invalid_json',
      'The request body is not valid JSON',
      'body',
    );
  }
  const status =
    error.status !== undefined && error.status >= 400 && error.status < 500
      ? error.status
      : HttpStatus.BAD_REQUEST;
  return new ApiError(
    status,
    'invalid_request_error',
    'invalid_body',
    `The request body could not be read: ${error.message ?? 'unreadable'}`,
    'body',
  );
}

/**
 * Wraps a body parser so its refusals leave as API errors. The wrapper keeps the parser's function
 * name: Nest adds its own default `jsonParser` / `urlencodedParser` (100 kB limit) unless one of
 * that name is already registered.
 */
function refusingAsApiErrors(parser: RequestHandler, name: string): RequestHandler {
  const wrapped = (request: Request, response: Response, next: NextFunction) =>
    parser(request, response, (error?: unknown) =>
      next(error === undefined ? undefined : bodyParserErrorToApiError(error as BodyParserError)),
    );
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

export const jsonBodyParser = () => refusingAsApiErrors(json({ limit: BODY_LIMIT }), 'jsonParser');
export const formBodyParser = () =>
  refusingAsApiErrors(urlencoded({ limit: BODY_LIMIT, extended: true }), 'urlencodedParser');
/** Every content type, kept as bytes: the webhooks passthrough forwards exactly what it received. */
export const rawBodyParser = () =>
  refusingAsApiErrors(raw({ type: () => true, limit: BODY_LIMIT }), 'rawParser');
