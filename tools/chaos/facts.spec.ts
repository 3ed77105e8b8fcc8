import { sumOfMetric } from './facts';

describe('reading a gauge from /metrics', () => {
  const text = [
    '# HELP psp_operations_overdue Attempts awaiting a PSP notification past PSP_NOTIFICATION_DEADLINE_MS',
    '# TYPE psp_operations_overdue gauge',
    'psp_operations_overdue{provider="adyen",operation="capture"} 2',
    'psp_operations_overdue{provider="adyen",operation="refund"} 1',
    'psp_operations_overdue_total_other 40',
    'psp_operations 7',
    'psp_operations_overdue 3',
  ].join('\n');

  it('sums the samples of that metric only', () => {
    expect(sumOfMetric(text, 'psp_operations_overdue')).toBe(6);
  });

  it('is 0 for a metric with no samples', () => {
    expect(sumOfMetric(text, 'nothing_here')).toBe(0);
  });
});
