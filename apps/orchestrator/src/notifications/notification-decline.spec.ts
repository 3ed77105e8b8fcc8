import type { PspNotificationReceivedData } from '@payflow/contracts';
import { declineOf } from './notification-decline';

const base: PspNotificationReceivedData = {
  provider: 'adyen',
  psp_event_id: 'evt',
  psp_reference: 'PSP_PAY',
  kind: 'authorization',
  success: false,
  amount: 1_000,
  currency: 'EUR',
};

describe('declineOf (a webhook decline)', () => {
  it('keeps every field the PSP gave', () => {
    expect(
      declineOf({
        ...base,
        code: 'lost_card',
        decline_code: 'lost_card',
        network: 'visa',
        advice_code: '03',
        message: 'Blocked Card',
      }),
    ).toEqual({
      status: 'declined',
      code: 'lost_card',
      declineCode: 'lost_card',
      message: 'Blocked Card',
      network: 'visa',
      adviceCode: '03',
      pspReference: 'PSP_PAY',
    });
  });

  it('falls back to a generic decline only when the PSP said nothing', () => {
    expect(declineOf(base)).toEqual({
      status: 'declined',
      code: 'card_declined',
      declineCode: null,
      message: 'adyen declined the authorization',
      network: null,
      adviceCode: null,
      pspReference: 'PSP_PAY',
    });
    expect(declineOf({ ...base, code: '', network: null })).toMatchObject({
      code: 'card_declined',
      network: null,
    });
  });
});
