import { heldPaymentStatus, type PaymentFacts } from './held-payment';

const NOTHING: PaymentFacts = {
  refused: false,
  unconfirmed: false,
  processing: false,
  authorized: false,
  captured: 0,
  canceled: false,
};

describe('heldPaymentStatus', () => {
  it.each<[Partial<PaymentFacts>, string]>([
    [{ unconfirmed: true }, 'requires_confirmation'],
    [{}, 'requires_confirmation'],
    [{ processing: true }, 'processing'],
    [{ refused: true }, 'refused'],
    [{ refused: true, unconfirmed: true }, 'refused'],
    [{ authorized: true }, 'authorized'],
    [{ authorized: true, captured: 1 }, 'captured'],
    [{ authorized: true, canceled: true }, 'canceled'],
    [{ refused: true, canceled: true }, 'canceled'],
  ])('%j → %s', (facts, status) => {
    expect(heldPaymentStatus({ ...NOTHING, ...facts })).toBe(status);
  });
});
