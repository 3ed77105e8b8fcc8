import { REDRIVEN_FOR_HEADER, isAddressedTo } from './dead-letter';

describe('isAddressedTo', () => {
  it('takes every message that is not a redrive', () => {
    expect(isAddressedTo(undefined, 'ledger')).toBe(true);
    expect(isAddressedTo({ 'event-id': Buffer.from('e1') }, 'ledger')).toBe(true);
  });

  it('takes a redrive meant for this consumer, alone or among others', () => {
    expect(isAddressedTo({ [REDRIVEN_FOR_HEADER]: Buffer.from('ledger') }, 'ledger')).toBe(true);
    expect(isAddressedTo({ [REDRIVEN_FOR_HEADER]: 'webhooks,ledger' }, 'ledger')).toBe(true);
  });

  it('leaves a redrive meant for other consumers, even one whose name contains this one', () => {
    expect(isAddressedTo({ [REDRIVEN_FOR_HEADER]: Buffer.from('webhooks') }, 'ledger')).toBe(false);
    expect(isAddressedTo({ [REDRIVEN_FOR_HEADER]: 'ledger-replay' }, 'ledger')).toBe(false);
  });
});
