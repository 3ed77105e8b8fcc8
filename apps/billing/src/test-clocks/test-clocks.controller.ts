import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AdvanceTestClockRequest, CreateTestClockRequest } from '@payflow/api';
import type { TestClockObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import type { ListObject } from '../http/list-object';
import { Meta, RequestMeta } from '../http/request-meta';
import { ListTestClocksQuery } from './list-test-clocks.query';
import type { DeletedTestClockObject } from './test-clock.row';
import { TestClocksService } from './test-clocks.service';

/** The gateway's hop for `/v1/test_clocks` (API.md "Test clock"). */
@Controller('internal/v1/test_clocks')
export class TestClocksController {
  constructor(private readonly clocks: TestClocksService) {}

  @Post()
  @HttpCode(201)
  async create(
    @Meta() meta: RequestMeta,
    @Body() body: CreateTestClockRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TestClockObject> {
    return send(res, await this.clocks.create(meta, body));
  }

  @Get()
  list(
    @MerchantId() merchantId: string,
    @Query() query: ListTestClocksQuery,
  ): Promise<ListObject<TestClockObject>> {
    return this.clocks.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<TestClockObject> {
    return this.clocks.get(merchantId, id);
  }

  @Post(':id/advance')
  @HttpCode(200)
  async advance(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: AdvanceTestClockRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TestClockObject> {
    return send(res, await this.clocks.advance(meta, id, body));
  }

  @Delete(':id')
  remove(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<DeletedTestClockObject> {
    return this.clocks.remove(meta, id);
  }
}
