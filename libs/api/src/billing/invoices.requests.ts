import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  INVOICE_STATUSES,
  PRORATION_BEHAVIORS,
  type InvoiceStatus,
  type ProrationBehavior,
} from '@payflow/contracts';
import {
  CUSTOMER_ID_PATTERN,
  INVOICE_ID_PATTERN,
  PRICE_ID_PATTERN,
  SUBSCRIPTION_ID_PATTERN,
} from './billing-ids';
import { BillingPageQuery } from './page.query';
import { SUBSCRIPTION_ITEM_QUANTITY_MAX, SUBSCRIPTION_ITEMS_MAX } from './subscriptions.requests';
import { UNIX_TIME_MAX, UNIX_TIME_MIN } from './unix-time';

/** `GET /v1/invoices?customer&subscription&status&limit&starting_after`: newest first. */
export class ListInvoicesQuery extends BillingPageQuery {
  @ApiPropertyOptional({
    description: 'Invoices created before this one (an id of the previous page)',
    example: 'in_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(INVOICE_ID_PATTERN, { message: '$property must be an invoice id (in_…)' })
  starting_after?: string;

  @ApiPropertyOptional({ description: 'Only this customer’s invoices', example: 'cus_1a2b' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(CUSTOMER_ID_PATTERN, { message: '$property must be a customer id (cus_…)' })
  customer?: string;

  @ApiPropertyOptional({ description: 'Only this subscription’s invoices', example: 'sub_1a2b' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(SUBSCRIPTION_ID_PATTERN, { message: '$property must be a subscription id (sub_…)' })
  subscription?: string;

  @ApiPropertyOptional({ description: 'Only invoices in this status', enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES, { message: `$property must be one of ${INVOICE_STATUSES.join(', ')}` })
  status?: InvoiceStatus;
}

/** `subscription_items[i]` of the upcoming-invoice query: query strings, so numbers are converted. */
export class UpcomingInvoiceItemQuery {
  @ApiProperty({ example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f' })
  @IsString({ message: '$property must be a string' })
  @Matches(PRICE_ID_PATTERN, { message: '$property must be a price id (price_…)' })
  price!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SUBSCRIPTION_ITEM_QUANTITY_MAX, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(SUBSCRIPTION_ITEM_QUANTITY_MAX, {
    message: `$property must be at most ${SUBSCRIPTION_ITEM_QUANTITY_MAX}`,
  })
  quantity = 1;
}

/**
 * `GET /v1/invoices/upcoming`: the next invoice of `subscription` as it would be generated now,
 * or — with `subscription_items` — as if its items were replaced by these at `proration_date`.
 * Writes nothing. Run the raw query through {@link foldUpcomingInvoiceQuery} before validating it:
 * Express 5's query parser leaves `subscription_items[0][price]` as a flat key.
 */
export class UpcomingInvoiceQuery {
  @ApiProperty({ example: 'sub_1a2b3c4d5e6f7a8b9c0d1e2f' })
  @IsString({ message: '$property must be a string' })
  @Matches(SUBSCRIPTION_ID_PATTERN, { message: '$property must be a subscription id (sub_…)' })
  subscription!: string;

  @ApiPropertyOptional({
    type: () => [UpcomingInvoiceItemQuery],
    description:
      'The proposed items (replacing the current ones), as `subscription_items[0][price]=price_…&subscription_items[0][quantity]=2`',
  })
  @IsOptional()
  @IsArray({ message: '$property must be a list, given as subscription_items[0][price]=…' })
  @ArrayMinSize(1, { message: '$property must have at least 1 item' })
  @ArrayMaxSize(SUBSCRIPTION_ITEMS_MAX, {
    message: `$property must have at most ${SUBSCRIPTION_ITEMS_MAX} items`,
  })
  @ArrayUnique((item: unknown) => (item as { price?: unknown } | null)?.price, {
    message: '$property must not name a price twice',
  })
  @ValidateNested({ each: true })
  @Type(() => UpcomingInvoiceItemQuery)
  subscription_items?: UpcomingInvoiceItemQuery[];

  @ApiPropertyOptional({ enum: PRORATION_BEHAVIORS, default: 'create_prorations' })
  @IsOptional()
  @IsIn(PRORATION_BEHAVIORS, { message: `$property must be one of ${PRORATION_BEHAVIORS.join(', ')}` })
  proration_behavior?: ProrationBehavior;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Unix seconds the proposed change is prorated as of (default: now)',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value))
  @IsInt({ message: '$property must be a Unix timestamp in whole seconds' })
  @Min(UNIX_TIME_MIN, { message: '$property must be a Unix timestamp in whole seconds after 1970' })
  @Max(UNIX_TIME_MAX, { message: '$property must be a Unix timestamp before year 10000' })
  proration_date?: number;
}

const ITEM_KEY = /^subscription_items\[(\d{1,2})\]\[([a-z_]+)\]$/;

/**
 * The upcoming-invoice query with `subscription_items` folded into a list: flat keys
 * `subscription_items[0][price]` (Express 5's "simple" parser) or an already nested value
 * (an "extended" parser) become `subscription_items: [{price, quantity}, …]` in index order.
 * Everything else passes unchanged, so the validation refuses unknown keys by their own name;
 * a gap in the indexes (0, 2) or an unknown item field is left for it to name too.
 */
export function foldUpcomingInvoiceQuery(raw: Record<string, unknown>): Record<string, unknown> {
  const folded: Record<string, unknown> = {};
  const items = new Map<number, Record<string, unknown>>();
  for (const [key, value] of Object.entries(raw)) {
    const match = ITEM_KEY.exec(key);
    if (!match) {
      folded[key] = value;
      continue;
    }
    const index = Number(match[1]);
    const item = items.get(index) ?? {};
    item[match[2]] = value;
    items.set(index, item);
  }
  if (items.size === 0) return folded;
  if (folded['subscription_items'] !== undefined) {
    // Both forms at once: leave the flat keys for the validation to refuse by name.
    for (const [index, item] of items)
      for (const [field, value] of Object.entries(item))
        folded[`subscription_items[${index}][${field}]`] = value;
    return folded;
  }
  const indexes = [...items.keys()].sort((a, b) => a - b);
  const list: unknown[] = [];
  indexes.forEach((index, position) => {
    // A gap (0, 2) is refused by name: the list would silently renumber the merchant's items.
    if (index !== position) folded[`subscription_items[${index}]`] = items.get(index);
    else list.push(items.get(index));
  });
  folded['subscription_items'] = list;
  return folded;
}

/** The query string of a folded upcoming-invoice query, as the gateway forwards it (flat keys again). */
export function flattenUpcomingInvoiceQuery(query: UpcomingInvoiceQuery): Record<string, string | number> {
  const flat: Record<string, string | number> = { subscription: query.subscription };
  query.subscription_items?.forEach((item, index) => {
    flat[`subscription_items[${index}][price]`] = item.price;
    flat[`subscription_items[${index}][quantity]`] = item.quantity;
  });
  if (query.proration_behavior !== undefined) flat['proration_behavior'] = query.proration_behavior;
  if (query.proration_date !== undefined) flat['proration_date'] = query.proration_date;
  return flat;
}
