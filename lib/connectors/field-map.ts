import type { FieldMapping } from '../config/connectors-config.js';

export type { FieldMapping };

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
