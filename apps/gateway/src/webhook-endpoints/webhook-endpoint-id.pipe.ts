import { Injectable, PipeTransform } from '@nestjs/common';
import { WEBHOOK_ENDPOINT_ID_PATTERN } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';

/** A malformed endpoint id is an unknown one (API.md: 404 resource_missing), answered without a call. */
@Injectable()
export class WebhookEndpointIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!WEBHOOK_ENDPOINT_ID_PATTERN.test(id)) throw ApiError.missing('webhook_endpoint', id.slice(0, 80));
    return id;
  }
}
