import { Injectable, PipeTransform } from '@nestjs/common';
import { UpcomingInvoiceQuery, foldUpcomingInvoiceQuery } from '@payflow/api';
import { apiValidationPipe } from '@payflow/platform/http';

/**
 * The upcoming-invoice query: Express 5 parses `subscription_items[0][price]=…` as a flat key, so it
 * is folded into a list first, then validated like any query (400 naming `subscription_items[0][price]`).
 * The route declares the query as a plain object, so the global pipe leaves it to this one.
 */
@Injectable()
export class UpcomingInvoiceQueryPipe implements PipeTransform<unknown, Promise<UpcomingInvoiceQuery>> {
  private readonly validation = apiValidationPipe();

  async transform(query: unknown): Promise<UpcomingInvoiceQuery> {
    const raw = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
    return (await this.validation.transform(foldUpcomingInvoiceQuery(raw), {
      type: 'query',
      metatype: UpcomingInvoiceQuery,
    })) as UpcomingInvoiceQuery;
  }
}
