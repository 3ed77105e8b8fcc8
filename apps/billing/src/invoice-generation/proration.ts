export function prorate(amountPerPeriod: number, secondsUsed: number, secondsInPeriod: number): number {
  void [amountPerPeriod, secondsUsed, secondsInPeriod];
  throw new Error('not implemented');
}
