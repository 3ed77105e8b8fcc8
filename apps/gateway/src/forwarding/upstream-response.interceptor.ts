import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, map } from 'rxjs';
import { UpstreamResponse } from './upstream-response';

/**
 * Writes an UpstreamResponse as the HTTP answer: the service's status and headers, its body. Used
 * on forwarding controllers, inside the global interceptors, so the idempotency interceptor sees the
 * final status and body like those of any other route.
 */
@Injectable()
export class UpstreamResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((value) => {
        if (!(value instanceof UpstreamResponse)) return value;
        response.status(value.status);
        for (const [name, header] of Object.entries(value.headers)) response.setHeader(name, header);
        return value.body;
      }),
    );
  }
}
