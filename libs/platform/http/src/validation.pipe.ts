import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

function firstProblem(errors: ValidationError[], prefix = ''): { param: string; message: string } {
  const error = errors[0];
  const param = prefix ? `${prefix}[${error.property}]` : error.property;
  if (error.constraints) {
    const [message] = Object.values(error.constraints);
    return { param, message };
  }
  return firstProblem(error.children ?? [], param);
}

/**
 * Validates bodies and queries with class-validator: unknown fields refused, no implicit
 * conversions (a string is not an amount), and the first problem reported as a 400 whose `param`
 * names the field, Stripe-style (`metadata[order]`).
 */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const { param, message } = firstProblem(errors);
      return ApiError.invalidParam(param, message);
    },
  });
}
