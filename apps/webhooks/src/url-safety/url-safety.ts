import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApiError } from '@payflow/platform/http';
import { WebhooksConfig } from '../webhooks.config';
import { systemResolver } from './system-resolver';
import { HostResolver, UrlVerdict, checkWebhookUrl } from './webhook-url-policy';

/** Tests may provide another resolver under this token. */
export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

/** The URL policy with this deployment's settings, for the endpoints API and the delivery worker. */
@Injectable()
export class UrlSafety {
  private readonly resolve: HostResolver;

  constructor(
    private readonly config: WebhooksConfig,
    @Optional() @Inject(HOST_RESOLVER) resolver?: HostResolver,
  ) {
    this.resolve = resolver ?? systemResolver;
  }

  check(url: string): Promise<UrlVerdict> {
    return checkWebhookUrl(url, {
      allowInsecure: this.config.WEBHOOK_ALLOW_INSECURE_URLS,
      resolve: this.resolve,
    });
  }

  /** For the API: a refused URL is `400` with `param: url` (API.md). */
  async assertAllowed(url: string): Promise<void> {
    const verdict = await this.check(url);
    if (!verdict.allowed) throw ApiError.invalidParam('url', `url ${verdict.reason}`, 'url_invalid');
  }
}
