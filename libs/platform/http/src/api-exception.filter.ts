import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from './api-error';

/** Maps Nest's own HTTP errors (404 route, 413 body, malformed JSON…) onto Stripe-style errors. */
function fromHttpException(exception: HttpException): ApiError {
  const status = exception.getStatus();
  const response = exception.getResponse() as { message?: string | string[] } | string;
  const message = typeof response === 'string' ? response : [response.message].flat().join('; ') || exception.message;
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
    return new ApiError(status, 'invalid_request_error', 'body_too_large', 'The request body exceeds 1 MB');
  }
  if (status === HttpStatus.NOT_FOUND) return new ApiError(status, 'invalid_request_error', 'resource_missing', message);
  if (status === HttpStatus.UNAUTHORIZED) return new ApiError(status, 'authentication_error', 'unauthorized', message);
  if (status === HttpStatus.FORBIDDEN) return new ApiError(status, 'permission_error', 'permission_denied', message);
  if (status === HttpStatus.TOO_MANY_REQUESTS) return new ApiError(status, 'rate_limit_error', 'rate_limit', message);
  if (status >= 500) return new ApiError(status, 'api_error', 'api_error', 'An internal error occurred');
  if (message.includes('JSON') || message.includes('Unexpected token')) {
    return new ApiError(HttpStatus.BAD_REQUEST, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON', 'body');
  }
  return new ApiError(status, 'invalid_request_error', 'invalid_request', message);
}

/**
 * body-parser refuses a body with a plain http-errors error (`type`, `status`, `expose`), which is
 * not an HttpException: without this an oversized or malformed body would be answered 500.
 */
export function fromBodyParserError(exception: unknown): ApiError | null {
  const error = exception as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown } | null;
  if (!error || typeof error !== 'object' || exception instanceof HttpException) return null;
  if (error.type === 'entity.too.large') {
    return new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'invalid_request_error', 'body_too_large', 'The request body exceeds 1 MB', 'body');
  }
  if (error.type === 'entity.parse.failed') {
    return new ApiError(HttpStatus.BAD_REQUEST, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON', 'body');
  }
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500 && error.expose === true) {
    return new ApiError(error.status, 'invalid_request_error', 'invalid_body', String(error.message ?? 'Bad request'), 'body');
  }
  return null;
}

/** Every failure leaves as `{"error": {type, code, message, param?, request_id}}`, never a stack. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    let error: ApiError;
    const bodyError = fromBodyParserError(exception);
    if (exception instanceof ApiError) error = exception;
    else if (bodyError) error = bodyError;
    else if (exception instanceof HttpException) error = fromHttpException(exception);
    else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      error = new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, 'api_error', 'api_error', 'An internal error occurred');
    }
    response.status(error.status).json(error.body(request.id ? String(request.id) : undefined));
  }
}
