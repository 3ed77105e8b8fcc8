import {
  DEFAULT_PAYMENTS,
  FAULT_KINDS,
  PSP_FAULT_KINDS,
  SHORT_PAYMENTS,
  parseFaultKinds,
  parseOptions,
  parsePspFaultKinds,
} from './options';

describe('chaos options', () => {
  it('defaults to 2,000 payments, every fault and the given random seed', () => {
    expect(parseOptions([], 99)).toMatchObject({
      seed: 99,
      payments: DEFAULT_PAYMENTS,
      faults: [...FAULT_KINDS],
      short: false,
    });
  });

  it('reads --seed, --payments and --faults, in both spellings', () => {
    expect(parseOptions(['--seed', '5', '--payments=10000', '--faults', 'postgres,kill'], 1)).toMatchObject({
      seed: 5,
      payments: 10_000,
      faults: ['postgres', 'kill'],
    });
  });

  it('--short runs about 300 payments unless --payments says otherwise', () => {
    expect(parseOptions(['--short'], 1).payments).toBe(SHORT_PAYMENTS);
    expect(parseOptions(['--short', '--payments', '50'], 1).payments).toBe(50);
  });

  it('takes none and all as fault lists', () => {
    expect(parseFaultKinds('none')).toEqual([]);
    expect(parseFaultKinds('all')).toEqual([...FAULT_KINDS]);
  });

  it('has no PSP-side faults unless --psp-faults names them', () => {
    expect(parseOptions([], 1).pspFaults).toEqual([]);
    expect(parseOptions(['--psp-faults', 'all'], 1).pspFaults).toEqual([...PSP_FAULT_KINDS]);
    expect(parseOptions(['--psp-faults=webhook_drop,error_5xx_saved'], 1).pspFaults).toEqual([
      'error_5xx_saved',
      'webhook_drop',
    ]);
    expect(parsePspFaultKinds('none')).toEqual([]);
    expect(parsePspFaultKinds('timeout,timeout')).toEqual(['timeout']);
  });

  it('refuses a PSP fault it does not know, naming it', () => {
    expect(() => parsePspFaultKinds('refund_failed,meteor')).toThrow('meteor');
    expect(() => parsePspFaultKinds('')).toThrow('--psp-faults');
    expect(() => parseOptions(['--psp-faults', 'postgres'], 1)).toThrow('postgres');
  });

  it('refuses what it does not know, naming it', () => {
    expect(() => parseFaultKinds('postgres,meteor')).toThrow('meteor');
    expect(() => parseOptions(['--payments', '0'], 1)).toThrow('--payments');
    expect(() => parseOptions(['--seed', 'abc'], 1)).toThrow('--seed');
    expect(() => parseOptions(['--fast'], 1)).toThrow('--fast');
  });
});

describe('--subscriptions', () => {
  it('defaults to one subscription per 50 payments, at least 10, and takes 0 to run no billing workload', () => {
    expect(parseOptions([], 1).subscriptions).toBe(40);
    expect(parseOptions(['--short'], 1).subscriptions).toBe(10);
    expect(parseOptions(['--payments', '10000'], 1).subscriptions).toBe(200);
    expect(parseOptions(['--subscriptions', '0'], 1).subscriptions).toBe(0);
    expect(parseOptions(['--subscriptions=25', '--short'], 1).subscriptions).toBe(25);
    expect(() => parseOptions(['--subscriptions', '-1'], 1)).toThrow('--subscriptions needs an integer ≥ 0');
  });
});
