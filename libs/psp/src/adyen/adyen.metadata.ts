/**
 * Where PayFlow's ids travel on Adyen. `reference` of every request is `<intent id>:<attempt id>`
 * (`adyenMerchantReference`), which Adyen echoes as the notification's signed `merchantReference`:
 * the only source of PayFlow's ids that consumers trust. `merchantOrderReference` and `metadata`
 * still carry the intent id, for Adyen's Customer Area and reports; Adyen echoes them as
 * `additionalData.merchantOrderReference` and `additionalData["metadata.<key>"]`, which the HMAC does
 * not cover, so PayFlow never matches by them.
 */
export const ADYEN_METADATA = Object.freeze({
  intentId: 'payflow_intent_id',
  attemptId: 'payflow_attempt_id',
});

export const ADYEN_ADDITIONAL_DATA = Object.freeze({
  intentId: `metadata.${ADYEN_METADATA.intentId}`,
  attemptId: `metadata.${ADYEN_METADATA.attemptId}`,
  merchantOrderReference: 'merchantOrderReference',
  /** The acquirer's raw response, "51 : Insufficient funds". */
  refusalReasonRaw: 'refusalReasonRaw',
  /** Mastercard's merchant advice code, "03: Do not try again". */
  merchantAdviceCode: 'merchantAdviceCode',
  /** The card's payment method variant: `visa`, `mc`, … */
  paymentMethod: 'paymentMethod',
  manualCapture: 'manualCapture',
});
