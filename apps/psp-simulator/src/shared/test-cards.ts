/**
 * API.md's test payment methods, which decide outcomes like Stripe's test cards. Both simulated
 * PSPs honour them; each PSP writes the decline its own way (Stripe decline codes, Adyen refusal
 * reasons), from the one table of declines below.
 */

/** Card networks, lower case as Stripe's `card.brand` names them. */
export type CardNetwork = string;

export type DeclineName = 'generic' | 'insufficient_funds' | 'lost_card' | 'stolen_card' | 'do_not_try_again';

/** What happens to an approved payment after its success (one of the "fails later" cards). */
export type LaterFailure = 'capture_fails' | 'refund_fails' | 'refund_reversed';

export type CardBehaviour =
  | { kind: 'approve'; network: CardNetwork; later?: LaterFailure }
  | { kind: 'slow'; network: CardNetwork }
  | { kind: 'decline'; decline: DeclineName; network: CardNetwork }
  /** Declined like insufficient funds on the first two authorizations of a PayFlow intent, then approved. */
  | { kind: 'decline_twice'; decline: DeclineName; network: CardNetwork };

/** A behaviour once the authorization count is known: `decline_twice` resolved. */
export type ResolvedCard = Exclude<CardBehaviour, { kind: 'decline_twice' }>;

const TEST_CARDS: Readonly<Record<string, CardBehaviour>> = Object.freeze({
  pm_card_visa: { kind: 'approve', network: 'visa' },
  pm_card_mastercard: { kind: 'approve', network: 'mastercard' },
  pm_card_chargeDeclined: { kind: 'decline', decline: 'generic', network: 'visa' },
  pm_card_chargeDeclinedInsufficientFunds: {
    kind: 'decline',
    decline: 'insufficient_funds',
    network: 'visa',
  },
  pm_card_chargeDeclinedLostCard: { kind: 'decline', decline: 'lost_card', network: 'visa' },
  pm_card_visa_chargeDeclinedStolenCard: { kind: 'decline', decline: 'stolen_card', network: 'visa' },
  pm_card_mastercard_doNotTryAgain: { kind: 'decline', decline: 'do_not_try_again', network: 'mastercard' },
  pm_card_insufficientFundsTwice: { kind: 'decline_twice', decline: 'insufficient_funds', network: 'visa' },
  pm_card_timeout: { kind: 'slow', network: 'visa' },
  pm_card_captureFailsLater: { kind: 'approve', network: 'visa', later: 'capture_fails' },
  pm_card_refundFailsLater: { kind: 'approve', network: 'visa', later: 'refund_fails' },
  pm_card_refundReversedLater: { kind: 'approve', network: 'visa', later: 'refund_reversed' },
});

/**
 * The behaviour of a payment method token, or undefined when it is unknown. Other `pm_card_<brand>`
 * tokens (Stripe's brand test methods, e.g. `pm_card_amex`) approve, so tests may use any brand.
 */
export function cardBehaviour(token: string | undefined): CardBehaviour | undefined {
  if (!token) return undefined;
  const known = TEST_CARDS[token];
  if (known) return known;
  if (/^pm_card_[a-z]+$/.test(token)) return { kind: 'approve', network: token.slice('pm_card_'.length) };
  return undefined;
}

/** How many authorizations of one PayFlow intent `pm_card_insufficientFundsTwice` declines. */
export const DECLINED_AUTHORIZATIONS_BEFORE_APPROVAL = 2;

/**
 * The behaviour of the `authorization`-th authorization (1-based, counted per PayFlow intent) with
 * this card: only `decline_twice` depends on the count.
 */
export function resolveCard(card: CardBehaviour, authorization: number): ResolvedCard {
  if (card.kind !== 'decline_twice') return card;
  return authorization <= DECLINED_AUTHORIZATIONS_BEFORE_APPROVAL
    ? { kind: 'decline', decline: card.decline, network: card.network }
    : { kind: 'approve', network: card.network };
}

/** Adyen's `paymentMethod` name of a network (Adyen says `mc` for Mastercard). */
export function adyenPaymentMethodOf(network: CardNetwork): string {
  return network === 'mastercard' ? 'mc' : network;
}

/** One decline, as each PSP words it (real Stripe decline codes, real Adyen refusal texts). */
export interface DeclineWording {
  stripe: {
    /** Stripe's card-error `code` (`card_declined` for every issuer decline, as Stripe sends it). */
    code: string;
    decline_code: string;
    message: string;
    network_decline_code: string;
    network_advice_code?: string;
  };
  adyen: {
    refusalReason: string;
    refusalReasonCode: string;
    refusalReasonRaw: string;
    /** Mastercard's merchant advice code, only on Mastercard declines. */
    merchantAdviceCode?: string;
  };
}

export const DECLINES: Readonly<Record<DeclineName, DeclineWording>> = Object.freeze({
  generic: {
    stripe: {
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      network_decline_code: '05',
    },
    adyen: { refusalReason: 'Refused', refusalReasonCode: '2', refusalReasonRaw: '05 : Do not honor' },
  },
  insufficient_funds: {
    stripe: {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      network_decline_code: '51',
    },
    adyen: {
      refusalReason: 'Not enough balance',
      refusalReasonCode: '12',
      refusalReasonRaw: '51 : Insufficient funds',
    },
  },
  lost_card: {
    stripe: {
      code: 'card_declined',
      decline_code: 'lost_card',
      message: 'Your card was declined.',
      network_decline_code: '41',
    },
    adyen: { refusalReason: 'Blocked Card', refusalReasonCode: '5', refusalReasonRaw: '41 : Lost card' },
  },
  stolen_card: {
    stripe: {
      code: 'card_declined',
      decline_code: 'stolen_card',
      message: 'Your card was declined.',
      network_decline_code: '43',
    },
    adyen: { refusalReason: 'Blocked Card', refusalReasonCode: '5', refusalReasonRaw: '43 : Stolen card' },
  },
  do_not_try_again: {
    stripe: {
      code: 'card_declined',
      decline_code: 'do_not_honor',
      message: 'Your card was declined.',
      network_decline_code: '05',
      network_advice_code: '03',
    },
    adyen: {
      refusalReason: 'Refused',
      refusalReasonCode: '2',
      refusalReasonRaw: '05 : Do not honor',
      merchantAdviceCode: '03: Do not try again',
    },
  },
});
