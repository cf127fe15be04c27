import { z } from 'zod';

/**
 * Which vendor field becomes which member field. Each entry is a list of field paths (dot
 * separated, array indexes as numbers, e.g. `department_ids.0`); the first one with a value wins.
 */
export interface FieldMapping {
  /** The Meeting account (account/password mode). Absent: the employee id. */
  readonly account?: readonly string[];
  /** The Meeting department code. Absent: the root department. */
  readonly deptCode?: readonly string[];
  readonly title?: readonly string[];
  readonly email?: readonly string[];
}

const PATH = /^[A-Za-z0-9_]{1,64}(?:\.[A-Za-z0-9_]{1,64}){0,4}$/;

/** Parses a setting such as `enterprise_email,email` into paths (empty → undefined). */
export const fieldPathsSchema = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(PATH, 'field path: names joined by "." (e.g. department_ids.0)')).max(5));

const present = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // BambooHR reports an empty date as 0000-00-00 (docs/connectors.md, unconfirmed details).
  return trimmed === '' || trimmed === '0000-00-00' ? undefined : trimmed;
};

const at = (record: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (Array.isArray(node)) return /^\d+$/.test(key) ? node[Number(key)] : undefined;
    return Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }, record);

/** The first non-empty scalar found at `paths` (trimmed), or undefined. */
export const readField = (record: unknown, paths: readonly string[] | undefined): string | undefined => {
  for (const path of paths ?? []) {
    const value = present(at(record, path));
    if (value !== undefined) return value;
  }
  return undefined;
};

/** The top-level field names the paths read (what to ask a vendor API for). */
export const topLevelFields = (mapping: FieldMapping): string[] =>
  [mapping.account, mapping.deptCode, mapping.title, mapping.email]
    .flatMap((paths) => paths ?? [])
    .map((path) => path.split('.')[0]!);

/** Cuts free text to the member schema's limit instead of refusing the employee. */
export const clip = (text: string | undefined, max: number): string | undefined =>
  text === undefined ? undefined : [...text].slice(0, max).join('').trim() || undefined;
