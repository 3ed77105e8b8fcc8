import type { DeclineClass } from '@payflow/contracts';
import type { DeclineFacts } from './classification';
import { classifyDecline } from './classify';

/**
 * The declines of API.md's test cards as the simulator produces them (apps/psp-simulator
 * src/shared/test-cards.ts, `DECLINES`) and libs/psp's connectors read them (asserted by
 * libs/psp/test/{stripe,adyen}-connector.integration-spec.ts): Stripe's decline code and
 * `network_decline_code`, Adyen's refusal text and `refusalReasonRaw`, both with the network and
 * Mastercard's advice code. `pm_card_visa` and `pm_card_mastercard` are approved: nothing to classify.
 */
interface CardDecline {
  card: string;
  expected: DeclineClass;
  /** last_error / invoice.payment_failed: what every PSP gives. */
  event: DeclineFacts;
  stripeNetworkCode: string;
  adyenRefusalReason: string;
  adyenRawCode: string;
}

const CARDS: CardDecline[] = [
  {
    card: 'pm_card_chargeDeclined',
    expected: 'soft',
    event: { code: 'card_declined', decline_code: 'generic_decline', network: 'visa', advice_code: null },
    stripeNetworkCode: '05',
    adyenRefusalReason: 'Refused',
    adyenRawCode: '05',
  },
  {
    card: 'pm_card_chargeDeclinedInsufficientFunds',
    expected: 'soft',
    event: {
      code: 'insufficient_funds',
      decline_code: 'insufficient_funds',
      network: 'visa',
      advice_code: null,
    },
    stripeNetworkCode: '51',
    adyenRefusalReason: 'Not enough balance',
    adyenRawCode: '51',
  },
  {
    // Declined like the card above on an intent's first two authorizations.
    card: 'pm_card_insufficientFundsTwice',
    expected: 'soft',
    event: {
      code: 'insufficient_funds',
      decline_code: 'insufficient_funds',
      network: 'visa',
      advice_code: null,
    },
    stripeNetworkCode: '51',
    adyenRefusalReason: 'Not enough balance',
    adyenRawCode: '51',
  },
  {
    card: 'pm_card_chargeDeclinedLostCard',
    expected: 'hard',
    event: { code: 'lost_card', decline_code: 'lost_card', network: 'visa', advice_code: null },
    stripeNetworkCode: '41',
    adyenRefusalReason: 'Blocked Card',
    adyenRawCode: '41',
  },
  {
    card: 'pm_card_visa_chargeDeclinedStolenCard',
    expected: 'hard',
    event: { code: 'stolen_card', decline_code: 'stolen_card', network: 'visa', advice_code: null },
    stripeNetworkCode: '43',
    adyenRefusalReason: 'Blocked Card',
    adyenRawCode: '43',
  },
  {
    card: 'pm_card_mastercard_doNotTryAgain',
    expected: 'hard',
    event: { code: 'card_declined', decline_code: 'do_not_honor', network: 'mastercard', advice_code: '03' },
    stripeNetworkCode: '05',
    adyenRefusalReason: 'Refused',
    adyenRawCode: '05',
  },
];

describe.each(CARDS)('$card', ({ expected, event, stripeNetworkCode, adyenRefusalReason, adyenRawCode }) => {
  it(`is ${expected} as invoice.payment_failed carries it`, () => {
    const classification = classifyDecline(event);
    expect(classification.class).toBe(expected);
    expect(classification.needs_new_payment_method).toBe(expected === 'hard');
  });

  it(`is ${expected} with Stripe's network_decline_code`, () => {
    expect(classifyDecline({ ...event, network_decline_code: stripeNetworkCode }).class).toBe(expected);
  });

  it(`is ${expected} with Adyen's refusal reason and raw response`, () => {
    expect(
      classifyDecline({
        ...event,
        network_decline_code: `${adyenRawCode} : raw response`,
        adyen_refusal_reason: adyenRefusalReason,
      }).class,
    ).toBe(expected);
  });

  it(`is ${expected} from Adyen's words alone, without libs/psp's decline code`, () => {
    expect(
      classifyDecline({
        ...event,
        code: 'card_declined',
        decline_code: null,
        network_decline_code: adyenRawCode,
        adyen_refusal_reason: adyenRefusalReason,
      }).class,
    ).toBe(expected);
  });
});

describe('the reasons the test cards are classified by', () => {
  it.each([
    ['pm_card_chargeDeclined', 'stripe:generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'stripe:insufficient_funds'],
    ['pm_card_chargeDeclinedLostCard', 'stripe:lost_card'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'stripe:stolen_card'],
    ['pm_card_mastercard_doNotTryAgain', 'mastercard_advice:03'],
  ])('%s → %s (as events carry it)', (card, reason) => {
    expect(classifyDecline(CARDS.find((c) => c.card === card)!.event).reason).toBe(reason);
  });

  it('reads the Visa lost and stolen cards as category 1 once the network code is there', () => {
    const lost = CARDS.find((c) => c.card === 'pm_card_chargeDeclinedLostCard')!;
    const stolen = CARDS.find((c) => c.card === 'pm_card_visa_chargeDeclinedStolenCard')!;
    expect(classifyDecline({ ...lost.event, network_decline_code: '41' }).reason).toBe('visa_category_1:41');
    expect(classifyDecline({ ...stolen.event, network_decline_code: '43' }).reason).toBe(
      'visa_category_1:43',
    );
  });
});
