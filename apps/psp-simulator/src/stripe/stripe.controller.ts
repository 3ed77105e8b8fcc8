import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PspRequestRunner } from '../shared/psp-request-runner';
import { requestFingerprint } from '../shared/request-fingerprint';
import type { SimulatedResponse } from '../shared/simulated-response';
import { SimulatorConfig } from '../simulator.config';
import { STRIPE_FAILURES, stripeError } from './stripe-errors';
import { SIMULATED_STRIPE_API_VERSION } from './stripe-events';
import { isTrue, type StripeParams } from './stripe-params';
import { StripePaymentsService } from './stripe-payments.service';

/**
 * The part of Stripe's API the official SDK calls for PayFlow's operations, at Stripe's own paths,
 * taking form-encoded bodies (as the SDK sends them) and answering Stripe's JSON and errors.
 */
@ApiExcludeController()
@Controller('v1')
export class StripeController {
  constructor(
    private readonly payments: StripePaymentsService,
    private readonly runner: PspRequestRunner,
    private readonly config: SimulatorConfig,
  ) {}

  @Post('payment_intents')
  async create(@Req() req: Request, @Res() res: Response, @Body() body: StripeParams): Promise<void> {
    // Created unconfirmed nothing moves; confirmed at creation it is an authorization.
    await this.run(req, res, isTrue(body, 'confirm') ? 'authorize' : 'create', body, (key) =>
      this.payments.create(body, key),
    );
  }

  @Get('payment_intents/:id')
  async retrieve(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.run(req, res, 'retrieve', {}, () => this.payments.retrieve(id));
  }

  @Post('payment_intents/:id/confirm')
  async confirm(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: StripeParams,
  ): Promise<void> {
    await this.run(req, res, 'authorize', body, (key) => this.payments.confirmExisting(id, body, key));
  }

  @Post('payment_intents/:id/capture')
  async capture(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: StripeParams,
  ): Promise<void> {
    await this.run(req, res, 'capture', body, (key) => this.payments.capture(id, body, key));
  }

  @Post('payment_intents/:id/cancel')
  async cancel(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: StripeParams,
  ): Promise<void> {
    await this.run(req, res, 'cancel', body, (key) => this.payments.cancel(id, body, key));
  }

  @Post('refunds')
  async refund(@Req() req: Request, @Res() res: Response, @Body() body: StripeParams): Promise<void> {
    await this.run(req, res, 'refund', body, (key) => this.payments.refund(body, key));
  }

  /** `GET /v1/refunds?payment_intent=pi_…`: how a client finds a refund whose id it never learnt (a saved 500). */
  @Get('refunds')
  async listRefunds(
    @Req() req: Request,
    @Res() res: Response,
    @Query('payment_intent') paymentIntent?: string,
    @Query('limit') limit?: string,
  ): Promise<void> {
    await this.run(req, res, 'list_refunds', {}, () => this.payments.listRefunds(paymentIntent, limit));
  }

  @Get('refunds/:id')
  async retrieveRefund(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.run(req, res, 'retrieve_refund', {}, () => this.payments.retrieveRefund(id));
  }

  private async run(
    req: Request,
    res: Response,
    name: string,
    body: StripeParams,
    execute: (key?: string) => SimulatedResponse,
  ): Promise<void> {
    const unauthorized = this.checkApiKey(req);
    if (unauthorized) {
      res.status(unauthorized.status).json(unauthorized.body);
      return;
    }
    // GETs are idempotent by nature; Stripe ignores keys on them.
    const key = req.method === 'POST' ? req.header('idempotency-key') || undefined : undefined;
    const version = req.header('stripe-version') || SIMULATED_STRIPE_API_VERSION;
    await this.runner.handle(req, res, {
      provider: 'stripe',
      name,
      idempotencyKey: key,
      fingerprint: requestFingerprint(req.method, req.path, body),
      failures: STRIPE_FAILURES,
      execute: () => execute(key),
      headers: (replayed) => ({
        'Stripe-Version': version,
        ...(key ? { 'Idempotency-Key': key } : {}),
        ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
      }),
    });
  }

  /**
   * Stripe takes the secret key as `Authorization: Bearer sk_…` (the SDK) or as the Basic-auth user
   * name (`curl -u sk_…:`); any key unless STRIPE_API_KEY pins one.
   */
  private checkApiKey(req: Request): SimulatedResponse | undefined {
    const key = apiKeyOf(req.header('authorization') ?? '');
    const expected = this.config.STRIPE_API_KEY;
    if (key && (!expected || key === expected)) return undefined;
    return stripeError(401, {
      type: 'invalid_request_error',
      message: key
        ? 'Invalid API Key provided.'
        : 'You did not provide an API key. Provide it in the Authorization header (Bearer auth).',
    });
  }
}

function apiKeyOf(authorization: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!basic?.[1]) return undefined;
  const user = Buffer.from(basic[1], 'base64').toString('utf8').split(':', 1)[0];
  return user || undefined;
}
