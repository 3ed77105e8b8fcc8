import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '@payflow/platform/http';
import type { GatewayRequest } from './gateway-request';

/**
 * A merchant acts only as itself. The merchant forwarded is always the key's; a `merchant_id` in a
 * body that names another merchant is refused (403) before anything else happens, rather than
 * silently ignored, so an integration bug surfaces. Runs after ApiKeyGuard.
 *
 * It also refuses a JSON body that is not an object (an array, a string): every public body is an
 * object, and class validation would not look inside an array.
 */
@Injectable()
export class MerchantIsolationGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const body: unknown = request.body;
    if (body === undefined) return true;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'invalid_request_error',
        'parameter_invalid',
        'The request body must be a JSON object',
        'body',
      );
    }
    const claimed = (body as Record<string, unknown>)['merchant_id'];
    if (claimed !== undefined && claimed !== request.merchant?.id) {
      throw ApiError.forbidden('merchant_id does not match the merchant of the API key', 'merchant_id');
    }
    return true;
  }
}
