import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PspRequestRunner } from '../shared/psp-request-runner';
import { requestFingerprint } from '../shared/request-fingerprint';
import type { SimulatedResponse } from '../shared/simulated-response';
import { SimulatorConfig } from '../simulator.config';
import { ADYEN_FAILURES, adyenError } from './adyen-errors';
import type { AdyenModificationKind, AdyenRequestBody, AdyenTechnicalCancelBody } from './adyen-objects';
import { AdyenPaymentsService } from './adyen-payments.service';

/**
 * Adyen Checkout as the official SDK calls it, at both URL shapes Adyen uses: `/checkout/{version}`
 * (live, `…adyenpayments.com/checkout/v72/payments`) and `/{version}` (test,
 * `checkout-test.adyen.com/v72/payments`), so a connector's base URL may be the simulator's root or
 * its `/checkout`. Any `v<number>` version is accepted.
 */
@ApiExcludeController()
@Controller(['checkout/:version', ':version'])
export class AdyenController {
  constructor(
    private readonly payments: AdyenPaymentsService,
    private readonly runner: PspRequestRunner,
    private readonly config: SimulatorConfig,
  ) {}

  @Post('payments')
  async pay(
    @Req() req: Request,
    @Res() res: Response,
    @Param('version') version: string,
    @Body() body: AdyenRequestBody,
  ): Promise<void> {
    await this.run(req, res, version, 'authorize', body, () => this.payments.pay(body));
  }

  @Post('payments/:pspReference/captures')
  async capture(
    @Req() req: Request,
    @Res() res: Response,
    @Param() params: Record<string, string>,
    @Body() body: AdyenRequestBody,
  ): Promise<void> {
    await this.modify(req, res, params, 'capture', body);
  }

  @Post('payments/:pspReference/refunds')
  async refund(
    @Req() req: Request,
    @Res() res: Response,
    @Param() params: Record<string, string>,
    @Body() body: AdyenRequestBody,
  ): Promise<void> {
    await this.modify(req, res, params, 'refund', body);
  }

  @Post('payments/:pspReference/cancels')
  async cancel(
    @Req() req: Request,
    @Res() res: Response,
    @Param() params: Record<string, string>,
    @Body() body: AdyenRequestBody,
  ): Promise<void> {
    await this.modify(req, res, params, 'cancel', body);
  }

  /** Technical cancel by merchant reference: `POST /cancels` `{merchantAccount, paymentReference, reference}`. */
  @Post('cancels')
  async technicalCancel(
    @Req() req: Request,
    @Res() res: Response,
    @Param('version') version: string,
    @Body() body: AdyenTechnicalCancelBody,
  ): Promise<void> {
    await this.run(req, res, version, 'technical_cancel', body, () => this.payments.technicalCancel(body));
  }

  private async modify(
    req: Request,
    res: Response,
    params: Record<string, string>,
    kind: AdyenModificationKind,
    body: AdyenRequestBody,
  ): Promise<void> {
    await this.run(req, res, params['version'] ?? '', kind, body, () =>
      this.payments.modify(kind, params['pspReference'] ?? '', body),
    );
  }

  private async run(
    req: Request,
    res: Response,
    version: string,
    name: string,
    body: AdyenRequestBody | AdyenTechnicalCancelBody,
    execute: () => SimulatedResponse,
  ): Promise<void> {
    const refused = this.refuse(req, version);
    if (refused) {
      res.status(refused.status).json(refused.body);
      return;
    }
    const key = req.header('idempotency-key') || undefined;
    await this.runner.handle(req, res, {
      provider: 'adyen',
      name,
      idempotencyKey: key,
      fingerprint: requestFingerprint(req.method, req.path, body),
      failures: ADYEN_FAILURES,
      execute,
      // Adyen echoes the key so a client can tell the call was handled idempotently.
      headers: (): Record<string, string> => (key ? { 'Idempotency-Key': key } : {}),
    });
  }

  private refuse(req: Request, version: string): SimulatedResponse | undefined {
    if (!/^v\d+$/.test(version))
      return adyenError(404, '000', `Unknown Checkout API version ${version}`, 'validation');
    const apiKey = req.header('x-api-key');
    const expected = this.config.ADYEN_API_KEY;
    if (!apiKey || (expected && apiKey !== expected))
      return adyenError(401, '000', 'HTTP Status Response - Unauthorized', 'security');
    return undefined;
  }
}
