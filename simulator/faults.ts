import { API_NAMES, AUTH_APIS } from './constants.js';
import type { FaultConfig } from './types.js';

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly status: 500 | 502 | 503 }
  | { readonly kind: 'throttle'; readonly retryAfterSeconds: number }
  | { readonly kind: 'slow'; readonly ms: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'revoke' };

const NONE: FaultDecision = { kind: 'none' };
const ERROR_STATUSES = [500, 502, 503] as const;
/** Exclusive bands of one uniform draw, in this order. */
const BANDS = [
  ['error', 'errorRate'],
  ['throttle', 'throttleRate'],
  ['reset', 'resetRate'],
  ['revoke', 'revokeRate'],
  ['slow', 'slowRate'],
] as const;
export const DEFAULT_SLOW_MS = 2000;

/** mulberry32: tiny, fast, and the same sequence for the same seed on every platform. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const isInt = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Checks a FaultConfig (from code or from POST /__sim/faults); throws TypeError naming the field. */
export const checkFaultConfig = (config: unknown): FaultConfig => {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TypeError('faults: an object is required');
  }
  const c = config as Record<string, unknown>;
  let sum = 0;
  for (const [, key] of BANDS) {
    const v = c[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new TypeError(`faults.${key}: a number 0..1 is required`);
    sum += v;
  }
  // Kinds are exclusive bands of one draw, so together they cannot exceed certainty.
  if (sum > 1 + 1e-9) throw new TypeError('faults: the rates together must not exceed 1');
  for (const key of ['seed', 'retryAfterSeconds', 'slowMs'] as const) {
    if (c[key] !== undefined && !isInt(c[key], 0))
      throw new TypeError(`faults.${key}: a non-negative integer is required`);
  }
  if (c.apis !== undefined) {
    if (!Array.isArray(c.apis)) throw new TypeError('faults.apis: an array of API names is required');
    const unknown = c.apis.filter((a) => !(API_NAMES as readonly unknown[]).includes(a));
    if (unknown.length > 0) throw new TypeError(`faults.apis: unknown API names ${unknown.join(', ')}`);
  }
  return c as FaultConfig;
};

/**
 * Decides per request whether to inject a fault. Every eligible request consumes exactly one
 * draw (plus one more to pick the 5xx status), so a seed replays the same sequence.
 */
export class FaultInjector {
  readonly config: FaultConfig | undefined;
  readonly #random: () => number;
  readonly #apis: ReadonlySet<string> | undefined;

  constructor(config: FaultConfig | undefined) {
    this.config = config === undefined ? undefined : { ...checkFaultConfig(config) };
    this.#random = prng(config?.seed ?? 1);
    this.#apis = config?.apis ? new Set(config.apis) : undefined;
  }

  /** Business APIs by default; auth endpoints only when listed in `apis`. */
  applies(api: string): boolean {
    return this.config !== undefined && (this.#apis ? this.#apis.has(api) : !AUTH_APIS.has(api));
  }

  decide(api: string): FaultDecision {
    const c = this.config;
    if (!c || !this.applies(api)) return NONE;
    const r = this.#random();
    let edge = 0;
    for (const [kind, rate] of BANDS) {
      edge += c[rate] ?? 0;
      if (r < edge) return this.#make(kind, c);
    }
    return NONE;
  }

  #make(kind: (typeof BANDS)[number][0], c: FaultConfig): FaultDecision {
    switch (kind) {
      case 'error':
        return { kind, status: ERROR_STATUSES[Math.floor(this.#random() * ERROR_STATUSES.length)] ?? 500 };
      case 'throttle':
        return { kind, retryAfterSeconds: c.retryAfterSeconds ?? 1 };
      case 'slow':
        return { kind, ms: c.slowMs ?? DEFAULT_SLOW_MS };
      default:
        return { kind };
    }
  }
}
