import type { Classification, DeclineFacts } from './classification';
import { DECLINE_TABLE, type DeclineTableSection } from './decline-table';
import type { DeclineRule } from './table/decline-rule';

/**
 * Classifies a failed payment from everything its decline says, most authoritative first:
 *
 * 1. the network's advice (Mastercard merchant advice code, or Stripe's `advice_code`): the
 *    network's explicit word on retrying, and what it fines;
 * 2. a Visa card's category 1 response code ("issuer will never approve", fined if retried);
 * 3. the Stripe-style `decline_code` (Stripe's, or libs/psp's reading of Adyen's refusal);
 * 4. the raw network response code, when no decline code decided;
 * 5. Adyen's refusal reason text;
 * 6. a decline code the table does not know: hard (`unknown:<decline_code>`) — an issuer's reason
 *    PayFlow cannot read must not be retried into a network's fine;
 * 7. the `code`: PayFlow's own codes, Stripe's card-error codes;
 * 8. anything else: hard, `unknown:<code>`.
 *
 * A level that says nothing (a missing field, an advice code that advises nothing) falls through to
 * the next. Pure: no clock, no I/O.
 */
export function classifyDecline(facts: DeclineFacts): Classification {
  const networkCode = leadingCode(facts.network_decline_code);
  const declineCode = lowerCase(facts.decline_code);
  const code = lowerCase(facts.code) ?? '';
  return (
    fromSection('mastercard_advice', leadingCode(facts.advice_code)) ??
    fromSection('stripe_advice', lowerCase(facts.advice_code)) ??
    (lowerCase(facts.network) === 'visa' ? fromSection('visa_category_1', networkCode) : undefined) ??
    fromSection('stripe', declineCode) ??
    fromSection('network_code', networkCode) ??
    fromAdyenReason(facts.adyen_refusal_reason) ??
    (declineCode ? unknown(declineCode) : undefined) ??
    fromSection('payflow', code) ??
    fromSection('stripe_error', code) ??
    fromSection('stripe', code) ??
    unknown(code)
  );
}

function classification(reason: string, rule: DeclineRule): Classification {
  return {
    class: rule.class,
    reason,
    min_delay_s: rule.min_delay_s ?? 0,
    needs_new_payment_method: rule.class === 'hard',
  };
}

function fromSection(section: DeclineTableSection, key: string | undefined): Classification | undefined {
  if (!key) return undefined;
  const rules = DECLINE_TABLE[section] as Readonly<Record<string, DeclineRule>>;
  // Own keys only: a code such as `constructor` must not find Object's prototype.
  return Object.hasOwn(rules, key) ? classification(`${section}:${key}`, rules[key]!) : undefined;
}

function unknown(code: string): Classification {
  return classification(`unknown:${code}`, { class: 'hard' });
}

/** Adyen's texts, matched whatever their case and spacing. */
const ADYEN_REASONS: ReadonlyMap<string, { slug: string; rule: DeclineRule }> = new Map(
  Object.entries(DECLINE_TABLE.adyen).map(([text, rule]) => [
    normalizeText(text),
    { slug: normalizeText(text).replace(/[^a-z0-9]+/g, '_'), rule },
  ]),
);

function fromAdyenReason(text: string | null | undefined): Classification | undefined {
  const found = text ? ADYEN_REASONS.get(normalizeText(text)) : undefined;
  return found ? classification(`adyen:${found.slug}`, found.rule) : undefined;
}

function normalizeText(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

function lowerCase(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim().toLowerCase();
  return trimmed ? trimmed : undefined;
}

/**
 * The two-character code leading a network field, upper case: `03`, `R1`, and from a PSP's
 * "code : text" form (`03: Do not try again`, `41 : Lost card`) its code.
 */
function leadingCode(value: string | null | undefined): string | undefined {
  const match = /^\s*([0-9A-Za-z]{2})\s*(?::|$)/.exec(value ?? '');
  return match?.[1]?.toUpperCase();
}
