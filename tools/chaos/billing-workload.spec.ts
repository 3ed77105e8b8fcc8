import { PaymentMilestones } from './billing-workload';

describe('PaymentMilestones', () => {
  it('releases a clock once the payment workload has started its payment, or has finished', async () => {
    const milestones = new PaymentMilestones();
    const released: number[] = [];
    const wait = (index: number) => milestones.until(index).then(() => released.push(index));
    const all = [wait(0), wait(5), wait(9), wait(100)];
    milestones.reached(0);
    await Promise.resolve();
    expect(released).toEqual([0]);
    milestones.reached(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toEqual([0, 5]);
    milestones.finish();
    await Promise.all(all);
    expect(released.sort((a, b) => a - b)).toEqual([0, 5, 9, 100]);
    await milestones.until(1_000); // after the end, nothing waits
  });
});
