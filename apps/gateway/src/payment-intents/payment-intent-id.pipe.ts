import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '@payflow/platform/http';

/** The shape of intents' ids (`pi_` + letters and digits). */
const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9]{1,64}$/;

/**
 * A malformed id is an unknown id (API.md: `404 resource_missing`), answered here without a call:
 * the prefix is what makes that possible, and it keeps odd path segments away from intents.
 */
@Injectable()
export class PaymentIntentIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!PAYMENT_INTENT_ID.test(id)) throw ApiError.missing('payment_intent', id.slice(0, 80));
    return id;
  }
}
