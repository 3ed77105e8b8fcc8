/**
 * Where PayFlow's ids travel on Adyen: `reference` (echoed as the notification's signed
 * `merchantReference`) is the attempt id; `merchantOrderReference` and `metadata` carry the intent
 * id. Adyen echoes `metadata` as `additionalData["metadata.<key>"]` and the order reference as
 * `additionalData.merchantOrderReference` (when that additional setting is on, as the simulator has it).
 */
export const ADYEN_METADATA = Object.freeze({
  intentId: 'payflow_intent_id',
  attemptId: 'payflow_attempt_id',
});

export const ADYEN_ADDITIONAL_DATA = Object.freeze({
  intentId: `metadata.${ADYEN_METADATA.intentId}`,
  attemptId: `metadata.${ADYEN_METADATA.attemptId}`,
  merchantOrderReference: 'merchantOrderReference',
  refusalReasonRaw: 'refusalReasonRaw',
  manualCapture: 'manualCapture',
});
