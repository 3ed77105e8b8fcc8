import { Injectable, PipeTransform } from '@nestjs/common';
import { EVENT_ID_PATTERN } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';

/** A malformed event id is an unknown one (API.md: 404 resource_missing), answered without a call. */
@Injectable()
export class EventIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!EVENT_ID_PATTERN.test(id)) throw ApiError.missing('event', id.slice(0, 80));
    return id;
  }
}
