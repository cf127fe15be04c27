import { z } from 'zod';
import { parseSettings } from './errors.js';

/** The keys the roster sync matches existing members on, in its default order. */
export const MATCH_KEYS = ['thirdAccount', 'account', 'email', 'phone'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/** The roster sync's keys for matching existing members, in order (`npm run reconcile`). */
export const matchKeysSchema = z
  .string()
  .transform((value) => value.split(',').map((key) => key.trim()))
  .pipe(
    z
      .array(z.enum(MATCH_KEYS as unknown as [MatchKey, ...MatchKey[]]))
      .min(1)
      .refine((keys) => new Set(keys).size === keys.length, 'a key is listed twice'),
  );

const rosterEnvSchema = z.object({
  RECONCILE_MATCH_KEYS: matchKeysSchema.optional(),
});

export interface RosterSettings {
  /** Default thirdAccount, account, email, phone. */
  readonly matchKeys: readonly MatchKey[];
}

export const loadRosterSettings = (env: Record<string, string | undefined>): RosterSettings =>
  parseSettings(
    rosterEnvSchema.transform((e) => Object.freeze({ matchKeys: e.RECONCILE_MATCH_KEYS ?? MATCH_KEYS })),
    env,
  );
