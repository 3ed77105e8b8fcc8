import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Observable, defer, lastValueFrom } from 'rxjs';
import { ApiError, IDEMPOTENCY_KEY_HEADER } from '@payflow/platform/http';
import { GatewayRequest, requestIdOf } from '../auth/gateway-request';
import { requestFingerprint } from '@payflow/platform/http';
import { idempotencyHitsTotal } from './idempotency-metrics';
import { parseIdempotencyKey } from './idempotency-key';
import { CompletedRecord, isReplayable } from './idempotency-records';
import { IdempotencyStore, Reservation } from './idempotency-store';
import { SKIP_IDEMPOTENCY } from './skip-idempotency.decorator';

/** Scope of keys used with the admin key: operators share one key space, apart from merchants'. */
const ADMIN_SCOPE = 'admin';

/**
 * `Idempotency-Key` on any POST (API.md, DESIGN.md). Runs after the guards, so the caller is known
 * (keys are scoped per merchant) and refused calls never touch a key; and before validation, so a
 * replay answers even if validation rules changed since. What happens:
 * - no key: nothing;
 * - the key's first use: an in-flight marker, then the answer stored for 24 h (if replayable);
 * - same key, same fingerprint, answer stored: that answer again, `Idempotent-Replayed: true`;
 * - same key, same fingerprint, still running: 409; different fingerprint: 422 (even while the
 *   first runs: a different request under one key is a client bug whatever the timing).
 * Redis unreachable: the request goes on without the fast path; intents, which keeps (merchant,
 * key, fingerprint) with the result in its own transaction, still answers a repeat correctly.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (request.method !== 'POST' || header === undefined) return next.handle();
    if (
      this.reflector.getAllAndOverride<boolean>(SKIP_IDEMPOTENCY, [context.getHandler(), context.getClass()])
    )
      return next.handle();
    const scope = request.merchant?.id ?? (request.admin ? ADMIN_SCOPE : undefined);
    if (scope === undefined) return next.handle();

    const key = parseIdempotencyKey(header);
    const fingerprint = requestFingerprint(request.method, request.path, request.body);
    request.idempotency = { key, fingerprint };
    const response = context.switchToHttp().getResponse<Response>();
    return defer(() => this.handle({ scope, key, fingerprint }, request, response, next));
  }

  private async handle(
    { scope, key, fingerprint }: { scope: string; key: string; fingerprint: string },
    request: GatewayRequest,
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    let reservation: Reservation;
    try {
      const result = await this.store.reserve(scope, key, fingerprint, requestIdOf(request));
      if ('existing' in result) {
        const record = result.existing;
        if (record.fingerprint !== fingerprint) throw reusedKey();
        if (record.state === 'in_flight') throw keyInUse();
        return this.replay(record, response);
      }
      reservation = result.reserved;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      this.logger.warn(`Idempotency store unavailable, forwarding without it: ${(error as Error).message}`);
      return lastValueFrom(next.handle(), { defaultValue: undefined });
    }

    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      // Nothing answered (validation refused it, the service timed out or is down): free the key.
      await this.store
        .release(reservation)
        .catch((e: Error) => this.logger.warn(`Could not release an idempotency marker: ${e.message}`));
      throw error;
    }
    const status = response.statusCode;
    if (isReplayable(status, body)) {
      const record: CompletedRecord = {
        state: 'completed',
        fingerprint,
        status,
        body,
        request_id: requestIdOf(request),
      };
      await this.store
        .complete(reservation, record)
        .catch((e: Error) => this.logger.warn(`Could not store an idempotent response: ${e.message}`));
    } else {
      await this.store
        .release(reservation)
        .catch((e: Error) => this.logger.warn(`Could not release an idempotency marker: ${e.message}`));
    }
    return body;
  }

  private replay(record: CompletedRecord, response: Response): unknown {
    idempotencyHitsTotal.inc();
    response.status(record.status);
    response.setHeader('Idempotent-Replayed', 'true');
    if (record.request_id) response.setHeader('Original-Request', record.request_id);
    return record.body;
  }
}

function reusedKey(): ApiError {
  return new ApiError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'idempotency_error',
    'idempotency_key_reused',
    'Keys for idempotent requests can only be used with the same method, path and parameters they were first used with',
    'idempotency_key',
  );
}

function keyInUse(): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'idempotency_error',
    'idempotency_key_in_use',
    'A request with this Idempotency-Key is still being processed; retry once it has finished',
    'idempotency_key',
  );
}
