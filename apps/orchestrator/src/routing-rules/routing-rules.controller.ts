import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ListRoutingRulesQuery, RoutingRuleRequest } from './routing-rule.dto';
import type { RoutingRuleObject } from './routing-rule.object';
import { RoutingRulesService } from './routing-rules.service';

/**
 * Operators' admin API for merchants' routing rules (internal token required, like every internal
 * endpoint). A change applies to the next authorization request; attempts already recorded keep
 * their route.
 */
@Controller('internal/v1/routing-rules')
export class RoutingRulesController {
  constructor(private readonly rules: RoutingRulesService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: RoutingRuleRequest): Promise<RoutingRuleObject> {
    return this.rules.create(body);
  }

  @Get()
  list(@Query() query: ListRoutingRulesQuery) {
    return this.rules.list(query.merchant_id);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<RoutingRuleObject> {
    return this.rules.get(id);
  }

  /** Replaces the rule (Stripe updates with POST; PUT is accepted too). */
  @Post(':id')
  @HttpCode(200)
  update(@Param('id') id: string, @Body() body: RoutingRuleRequest): Promise<RoutingRuleObject> {
    return this.rules.replace(id, body);
  }

  @Put(':id')
  put(@Param('id') id: string, @Body() body: RoutingRuleRequest): Promise<RoutingRuleObject> {
    return this.rules.replace(id, body);
  }

  @Delete(':id')
  delete(@Param('id') id: string) {
    return this.rules.delete(id);
  }
}
