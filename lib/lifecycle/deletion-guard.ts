import type { LifecycleSettings } from '../config/lifecycle-config.js';

export interface GuardVerdict {
  readonly allowed: boolean;
  readonly wouldDelete: number;
  readonly managed: number;
  readonly percent: number;
  readonly reason?: string;
}

/**
 * Mass-deletion guard (docs/design.md): a run that would delete more than
 * `maxDeletes` members, or more than `maxDeletePercent` of the managed population, is refused.
 * Small runs (≤ guardMinCount) are exempt from the percentage rule so tiny tenants still work.
 */
export const checkDeletionGuard = (
  wouldDelete: number,
  managed: number,
  settings: Pick<LifecycleSettings, 'maxDeletes' | 'maxDeletePercent' | 'guardMinCount'>,
): GuardVerdict => {
  const percent = managed > 0 ? (wouldDelete * 100) / managed : wouldDelete > 0 ? 100 : 0;
  const base = { wouldDelete, managed, percent: Math.round(percent * 10) / 10 };
  if (wouldDelete > settings.maxDeletes) {
    return {
      ...base,
      allowed: false,
      reason: `${wouldDelete} deletions exceed the limit of ${settings.maxDeletes}`,
    };
  }
  if (wouldDelete > settings.guardMinCount && percent > settings.maxDeletePercent) {
    return {
      ...base,
      allowed: false,
      reason: `${base.percent}% of ${managed} managed members exceeds the limit of ${settings.maxDeletePercent}%`,
    };
  }
  return { ...base, allowed: true };
};
