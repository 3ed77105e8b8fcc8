import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@payflow/platform/http';

/** A command the state machine refuses: `409 invalid_request_error invalid_state_transition` (API.md). */
export function transitionRefused(message: string): ApiError {
  return new ApiError(HttpStatus.CONFLICT, 'invalid_request_error', 'invalid_state_transition', message);
}

export function isTransitionRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'invalid_state_transition';
}
