import { paramInvalid } from './errors.js';

/**
 * The simulator's own request validation, written independently of lib/meeting/schemas.ts so
 * client tests are not tautological. Every failure is a 400 naming the field. JSON `null`
 * counts as absent (the Python SDK sends unset fields as null).
 */

export type Obj = Record<string, unknown>;

export const asObject = (body: unknown, what = 'body'): Obj => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw paramInvalid(`${what}: a JSON object is required`);
  }
  return body as Obj;
};

const present = (o: Obj, key: string): boolean => o[key] !== undefined && o[key] !== null;

export const optStr = (o: Obj, key: string, max: number, min = 0): string | undefined => {
  if (!present(o, key)) return undefined;
  const v = o[key];
  if (typeof v !== 'string') throw paramInvalid(`${key}: must be a string`);
  // Length in characters as the docs count them (code points, not UTF-16 units).
  const len = [...v].length;
  if (len < min || len > max) throw paramInvalid(`${key}: length must be ${min}-${max}`);
  return v;
};

export const reqStr = (o: Obj, key: string, max: number, min = 1): string => {
  if (!present(o, key)) throw paramInvalid(`${key}: is required`);
  return optStr(o, key, max, min)!;
};

export const optInt = (o: Obj, key: string, min: number, max: number): number | undefined => {
  if (!present(o, key)) return undefined;
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw paramInvalid(`${key}: must be an integer ${min}-${max}`);
  }
  return v;
};

export const reqInt = (o: Obj, key: string, min: number, max: number): number => {
  if (!present(o, key)) throw paramInvalid(`${key}: is required`);
  return optInt(o, key, min, max)!;
};

export const optBool = (o: Obj, key: string): boolean | undefined => {
  if (!present(o, key)) return undefined;
  if (typeof o[key] !== 'boolean') throw paramInvalid(`${key}: must be a boolean`);
  return o[key] as boolean;
};

export const reqBool = (o: Obj, key: string): boolean => {
  if (!present(o, key)) throw paramInvalid(`${key}: is required`);
  return optBool(o, key)!;
};

export const optEnum = <T extends string>(o: Obj, key: string, values: readonly T[]): T | undefined => {
  const v = optStr(o, key, 64);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw paramInvalid(`${key}: must be one of ${values.join(', ')}`);
  return v as T;
};

/** A bare JSON array of non-empty strings with min..max items (batch status/delete bodies). */
export const stringArray = (body: unknown, min: number, max: number, what = 'body'): string[] => {
  if (!Array.isArray(body)) throw paramInvalid(`${what}: a JSON array of accounts is required`);
  if (body.length < min || body.length > max) throw paramInvalid(`${what}: must hold ${min}-${max} items`);
  for (const item of body) {
    if (typeof item !== 'string' || item.length === 0 || item.length > 255) {
      throw paramInvalid(`${what}: every item must be a non-empty string`);
    }
  }
  return body as string[];
};

export interface IntParam {
  readonly min: number;
  readonly max: number;
  readonly def?: number;
}

export const queryInt = (query: URLSearchParams, key: string, rule: IntParam): number | undefined => {
  const raw = query.get(key);
  if (raw === null || raw === '') return rule.def;
  if (!/^-?\d+$/.test(raw)) throw paramInvalid(`${key}: must be an integer ${rule.min}-${rule.max}`);
  const v = Number(raw);
  if (v < rule.min || v > rule.max) throw paramInvalid(`${key}: must be an integer ${rule.min}-${rule.max}`);
  return v;
};

export const queryBool = (query: URLSearchParams, key: string, def: boolean): boolean => {
  const raw = query.get(key);
  if (raw === null || raw === '') return def;
  if (raw !== 'true' && raw !== 'false') throw paramInvalid(`${key}: must be true or false`);
  return raw === 'true';
};

export const ACCOUNT_TYPE = { meetingAccount: 0, thirdAccount: 1 } as const;
export type AccountType = (typeof ACCOUNT_TYPE)[keyof typeof ACCOUNT_TYPE];

/** `accountType` query parameter: 0 (default) Meeting account, 1 third-party id (docs/meeting-api.md §2.0). */
export const accountTypeOf = (query: URLSearchParams): AccountType =>
  queryInt(query, 'accountType', { min: 0, max: 1, def: 0 }) as AccountType;
