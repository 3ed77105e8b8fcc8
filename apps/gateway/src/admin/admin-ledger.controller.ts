import { Controller, Get, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard';
import { GatewayRequest, requestIdOf } from '../auth/gateway-request';
import { forwardCallerOf } from '../forwarding/forward-caller';
import { UpstreamClient } from '../forwarding/upstream-client';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { VerifyReportSchema } from '../openapi/schemas/ledger.schema';
import { AuditLog } from './audit-log';

@ApiTags('Admin')
@ApiBearerAuth('admin_key')
@Controller('admin/ledger')
@UseGuards(AdminKeyGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class AdminLedgerController {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The ledger checks the whole book. The audit entry records the outcome, so it is written once
   * the ledger has answered (a check that never ran has nothing to record).
   */
  @Get('verify')
  @ApiOperation({
    summary: 'Verify the whole book: every entry balanced, every balance equal to its postings',
  })
  @ApiOkResponse({ type: VerifyReportSchema })
  @ApiErrors(401, 502, 504)
  async verify(@Req() request: GatewayRequest): Promise<UpstreamResponse> {
    const answer = await this.upstream.forward(
      'ledger',
      { method: 'GET', path: '/internal/v1/verify' },
      forwardCallerOf(request),
    );
    const report = answer.body as {
      balanced?: unknown;
      entries?: unknown;
      postings?: unknown;
      violations?: unknown[];
    };
    await this.audit.record({
      action: 'ledger.verified',
      actor: request.admin!.actor,
      target: 'ledger',
      details: {
        status: answer.status,
        balanced: report.balanced,
        entries: report.entries,
        postings: report.postings,
        violations: Array.isArray(report.violations) ? report.violations.length : undefined,
      },
      requestId: requestIdOf(request),
    });
    return answer;
  }
}
