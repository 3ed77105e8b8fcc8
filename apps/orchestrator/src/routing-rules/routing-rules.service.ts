import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeCurrency } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiError } from '@payflow/platform/http';
import { RoutingRuleRequest } from './routing-rule.dto';
import { routingRuleObject, type RoutingRuleObject } from './routing-rule.object';
import { RoutingRulesRepository, type RoutingRuleFields } from './routing-rules.repository';

const RULE_ID = /^rr_[A-Za-z0-9]{1,64}$/;
const LIST_LIMIT = 1_000;

/** Checks what class-validator cannot see field by field, and normalizes. */
function fieldsOf(request: RoutingRuleRequest): RoutingRuleFields {
  const minAmount = request.min_amount ?? null;
  const maxAmount = request.max_amount ?? null;
  if (minAmount !== null && maxAmount !== null && minAmount > maxAmount) {
    throw ApiError.invalidParam('min_amount', 'min_amount must not be above max_amount');
  }
  const weights = request.weights ?? null;
  if (weights !== null) {
    if (weights.length !== request.providers.length) {
      throw ApiError.invalidParam('weights', 'weights must have one entry per provider');
    }
    if (weights.reduce((sum, weight) => sum + weight, 0) <= 0) {
      throw ApiError.invalidParam('weights', 'weights must not all be zero');
    }
  }
  return {
    merchant_id: request.merchant_id,
    priority: request.priority,
    enabled: request.enabled ?? true,
    currency: request.currency ? normalizeCurrency(request.currency) : null,
    min_amount: minAmount,
    max_amount: maxAmount,
    card_brand: request.card_brand ?? null,
    providers: request.providers,
    weights,
  };
}

/** CRUD of merchants' routing rules (operators, through the internal token). */
@Injectable()
export class RoutingRulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RoutingRulesRepository,
    private readonly clock: Clock,
  ) {}

  async create(request: RoutingRuleRequest): Promise<RoutingRuleObject> {
    const id = `rr_${randomBytes(12).toString('hex')}`;
    return routingRuleObject(
      await this.rules.insert(this.dataSource, id, fieldsOf(request), this.clock.now()),
    );
  }

  async list(merchantId?: string): Promise<{ object: 'list'; data: RoutingRuleObject[]; has_more: boolean }> {
    const rules = await this.rules.list(this.dataSource, merchantId, LIST_LIMIT + 1);
    return {
      object: 'list',
      data: rules.slice(0, LIST_LIMIT).map(routingRuleObject),
      has_more: rules.length > LIST_LIMIT,
    };
  }

  async get(id: string): Promise<RoutingRuleObject> {
    const rule = RULE_ID.test(id) ? await this.rules.get(this.dataSource, id) : null;
    if (!rule) throw ApiError.missing('routing_rule', id.slice(0, 80));
    return routingRuleObject(rule);
  }

  async replace(id: string, request: RoutingRuleRequest): Promise<RoutingRuleObject> {
    const rule = RULE_ID.test(id)
      ? await this.rules.replace(this.dataSource, id, fieldsOf(request), this.clock.now())
      : null;
    if (!rule) throw ApiError.missing('routing_rule', id.slice(0, 80));
    return routingRuleObject(rule);
  }

  async delete(id: string): Promise<{ id: string; object: 'routing_rule'; deleted: true }> {
    if (!RULE_ID.test(id) || !(await this.rules.delete(this.dataSource, id)))
      throw ApiError.missing('routing_rule', id.slice(0, 80));
    return { id, object: 'routing_rule', deleted: true };
  }
}
