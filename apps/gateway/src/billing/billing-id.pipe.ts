import { Injectable, PipeTransform } from '@nestjs/common';
import { BILLING_ID_PATTERNS, type BillingObjectName } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';

/**
 * A malformed billing id is an unknown one (API.md: 404 resource_missing), answered without a call:
 * the prefix (`cus_`, `price_`, `sub_`, `in_`, `clock_`) is what makes that possible, and it keeps
 * odd path segments away from billing.
 */
@Injectable()
export class BillingIdPipe implements PipeTransform<string, string> {
  constructor(private readonly object: BillingObjectName) {}

  transform(id: string): string {
    if (!BILLING_ID_PATTERNS[this.object].test(id)) throw ApiError.missing(this.object, id.slice(0, 80));
    return id;
  }
}

export const CustomerIdPipe = new BillingIdPipe('customer');
export const PriceIdPipe = new BillingIdPipe('price');
export const SubscriptionIdPipe = new BillingIdPipe('subscription');
export const InvoiceIdPipe = new BillingIdPipe('invoice');
export const TestClockIdPipe = new BillingIdPipe('test_clock');
