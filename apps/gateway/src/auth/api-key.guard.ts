import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { GatewayRequest } from './gateway-request';
import { MerchantAuthenticator } from './merchant-authenticator';

/** Every /v1 call: the API key names the merchant, and from here on the merchant comes only from it. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: MerchantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    request.merchant = await this.authenticator.authenticate(request.header('authorization'));
    return true;
  }
}
