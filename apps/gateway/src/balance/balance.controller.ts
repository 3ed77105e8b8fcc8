import { Controller, Get, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { forwardCallerOf } from '../forwarding/forward-caller';
import { UpstreamClient } from '../forwarding/upstream-client';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, READ_ERRORS } from '../openapi/api-errors.decorator';
import { BalanceSchema, LedgerEntryListSchema } from '../openapi/schemas/ledger.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { BalanceQuery, LedgerEntriesQuery } from './ledger-queries';

/**
 * A merchant's view of the ledger. The merchant in the ledger's path comes from the API key, never
 * from input, so one merchant cannot ask for another's book.
 */
@ApiTags('Balance and ledger')
@ApiBearerAuth('api_key')
@Controller('v1')
@UseGuards(ApiKeyGuard, RateLimitGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class BalanceController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get('balance')
  @ApiOperation({ summary: "The merchant's balance per currency: available, pending and fees paid" })
  @ApiOkResponse({ type: BalanceSchema })
  @ApiErrors(...READ_ERRORS)
  balance(@Req() request: GatewayRequest, @Query() query: BalanceQuery): Promise<UpstreamResponse> {
    const caller = forwardCallerOf(request);
    const path = `/internal/v1/merchants/${encodeURIComponent(caller.merchant!.id)}/balance`;
    return this.upstream.forward('ledger', { method: 'GET', path, query: { as_of: query.as_of } }, caller);
  }

  @Get('ledger/entries')
  @ApiOperation({ summary: "The merchant's journal entries with their postings, newest first" })
  @ApiOkResponse({ type: LedgerEntryListSchema })
  @ApiErrors(...READ_ERRORS)
  entries(@Req() request: GatewayRequest, @Query() query: LedgerEntriesQuery): Promise<UpstreamResponse> {
    const caller = forwardCallerOf(request);
    const path = `/internal/v1/merchants/${encodeURIComponent(caller.merchant!.id)}/entries`;
    return this.upstream.forward(
      'ledger',
      { method: 'GET', path, query: { limit: query.limit, starting_after: query.starting_after } },
      caller,
    );
  }
}
