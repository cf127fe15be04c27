import { z } from 'zod';
import { flag } from './settings.js';

/** Lifecycle settings (documented in README.md); built when parsed, not at module load. */
export const lifecycleShape = () => ({
  RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  CLEANUP_MAX_DELETES: z.coerce.number().int().min(0).default(50),
  CLEANUP_MAX_DELETE_PERCENT: z.coerce.number().min(0).max(100).default(10),
  CLEANUP_GUARD_MIN_COUNT: z.coerce.number().int().min(0).default(10),
  CLEANUP_DRY_RUN: flag.default(false),
  CLEANUP_DELETE_ADMINS: flag.default(false),
  MEETING_SEND_NOTIFY: flag.default(false),
  DISABLE_LINGER_MS: z.coerce.number().int().min(0).max(20_000).default(1_000),
  OFFBOARD_BREAKER_MAX_COUNT: z.coerce.number().int().min(0).default(200),
  OFFBOARD_BREAKER_MAX_PERCENT: z.coerce.number().min(0).max(100).default(20),
  OFFBOARD_BREAKER_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});

export interface LifecycleSettings {
  /** Days a disabled member is kept before cleanup deletes it (rehire window). */
  readonly retentionDays: number;
  /** Mass-deletion guard: refuse a cleanup run deleting more than this many members... */
  readonly maxDeletes: number;
  /** ...or more than this share (percent) of the members this system manages. */
  readonly maxDeletePercent: number;
  /**
   * Runs deleting at most this many members are never refused by the percentage rule (small
   * tenants); the offboarding breaker's percentage rule exempts as many actions per window too.
   */
  readonly guardMinCount: number;
  readonly dryRun: boolean;
  /** Whether cleanup may delete members that hold an enterprise admin role. */
  readonly deleteAdmins: boolean;
  /** Whether Meeting sends its account-opening SMS/e-mail on create. */
  readonly sendNotify: boolean;
  /** How long a worker waits for more terminations before sending one batch disable. */
  readonly disableLingerMs: number;
  /** Circuit breaker: disables (and deletes) beyond this many within the window are staged... */
  readonly breakerMaxCount: number;
  /** ...or beyond this share (percent) of managed members (past the guardMinCount exemption). */
  readonly breakerMaxPercent: number;
  /** A fixed block aligned to the clock (epoch multiples), not sliding: counts restart each block. */
  readonly breakerWindowMinutes: number;
}

export const lifecycleSettingsOf = (
  e: z.output<z.ZodObject<ReturnType<typeof lifecycleShape>>>,
): LifecycleSettings =>
  Object.freeze({
    retentionDays: e.RETENTION_DAYS,
    maxDeletes: e.CLEANUP_MAX_DELETES,
    maxDeletePercent: e.CLEANUP_MAX_DELETE_PERCENT,
    guardMinCount: e.CLEANUP_GUARD_MIN_COUNT,
    dryRun: e.CLEANUP_DRY_RUN,
    deleteAdmins: e.CLEANUP_DELETE_ADMINS,
    sendNotify: e.MEETING_SEND_NOTIFY,
    disableLingerMs: e.DISABLE_LINGER_MS,
    breakerMaxCount: e.OFFBOARD_BREAKER_MAX_COUNT,
    breakerMaxPercent: e.OFFBOARD_BREAKER_MAX_PERCENT,
    breakerWindowMinutes: e.OFFBOARD_BREAKER_WINDOW_MINUTES,
  });
