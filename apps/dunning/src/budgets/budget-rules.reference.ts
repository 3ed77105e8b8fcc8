import { DAY_S, type CardAuthorization, type NetworkLimits } from './budget-rules';

/**
 * A second, deliberately naive statement of the budgets for the property tests: every group of
 * consecutive authorizations (the planned one among them) spanning less than a window is counted.
 * It shares no code with budget-rules.ts, so a mistake in the fast version shows as a difference.
 * `brand` is the card's real network; null (unknown) is held to every network's budget.
 */
export function referenceBreaches(
  brand: string | null,
  card: readonly CardAuthorization[],
  limits: NetworkLimits,
  t: number,
): string[] {
  const visa = { rule: 'visa_30d', window: 30 * DAY_S, max: limits.visaMaxReattempts30d, firstFree: true };
  const mc24 = { rule: 'mastercard_24h', window: DAY_S, max: limits.mastercardMaxAttempts24h, firstFree: false };
  const mc30 = { rule: 'mastercard_30d', window: 30 * DAY_S, max: limits.mastercardMaxAttempts30d, firstFree: false };
  const rules = brand === 'visa' ? [visa] : brand === 'mastercard' ? [mc24, mc30] : brand === null ? [visa, mc24, mc30] : [];

  const approvalsUpToT = card.filter((a) => a.approved && a.at <= t).map((a) => a.at);
  const approvalsAfterT = card.filter((a) => a.approved && a.at > t).map((a) => a.at);
  const runStart = approvalsUpToT.length > 0 ? Math.max(...approvalsUpToT) : -Infinity;
  const runEnd = approvalsAfterT.length > 0 ? Math.min(...approvalsAfterT) : Infinity;
  const points = card
    .filter((a) => !a.approved && a.at >= runStart && a.at < runEnd)
    .map((a) => ({ at: a.at, planned: false }))
    .concat([{ at: t, planned: true }])
    .sort((a, b) => a.at - b.at || Number(a.planned) - Number(b.planned));
  const planned = points.findIndex((p) => p.planned);

  const broken: string[] = [];
  for (const r of rules) {
    let worst = 0;
    for (let i = 0; i <= planned; i++) {
      for (let j = planned; j < points.length; j++) {
        if (points[j]!.at - points[i]!.at >= r.window) continue;
        worst = Math.max(worst, j - i + 1 - (r.firstFree && i === 0 ? 1 : 0));
      }
    }
    if (worst > r.max) broken.push(r.rule);
  }
  return broken;
}
