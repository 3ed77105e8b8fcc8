import { HttpStatus } from '@nestjs/common';

/** Stripe's error types, as API.md lists them. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'api_error';

export interface ApiErrorBody {
  error: { type: ApiErrorType; code: string; message: string; param?: string; request_id?: string };
}

/** An error every PayFlow HTTP surface answers in Stripe's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static invalidParam(param: string, message: string, code = 'parameter_invalid'): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, 'invalid_request_error', code, message, param);
  }

  static missing(what: string, id: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'invalid_request_error', 'resource_missing', `No such ${what}: '${id}'`);
  }

  static unauthenticated(message = 'Invalid API key provided'): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, 'authentication_error', 'api_key_invalid', message);
  }

  static forbidden(message: string, param?: string): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, 'permission_error', 'permission_denied', message, param);
  }

  body(requestId?: string): ApiErrorBody {
    return {
      error: {
        type: this.type,
        code: this.code,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...(requestId ? { request_id: requestId } : {}),
      },
    };
  }
}
