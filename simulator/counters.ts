import { API_NAMES, AUTH_APIS } from './constants.js';
import type { SimulatorCounters } from './types.js';

export const FAULT_COUNTERS = ['error', 'throttle', 'slow', 'reset', 'revoke', 'rateLimited'] as const;
export type FaultCounter = (typeof FAULT_COUNTERS)[number];

const zeroes = (names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number>;

/** Call accounting: every logical API starts at 0 so tests can assert on any name. */
export class Counters {
  #auth = 0;
  #authAttempts = 0;
  #businessCalls = 0;
  #calls = zeroes(API_NAMES);
  #faults = zeroes(FAULT_COUNTERS);

  /** One request received for `api`, counted before any fault or validation. */
  record(api: string): void {
    this.#calls[api] = (this.#calls[api] ?? 0) + 1;
    if (AUTH_APIS.has(api)) this.#authAttempts++;
    else this.#businessCalls++;
  }

  tokenIssued(): void {
    this.#auth++;
  }

  fault(kind: FaultCounter): void {
    this.#faults[kind] = (this.#faults[kind] ?? 0) + 1;
  }

  snapshot(): SimulatorCounters {
    return {
      auth: this.#auth,
      authAttempts: this.#authAttempts,
      calls: { ...this.#calls },
      businessCalls: this.#businessCalls,
      faults: { ...this.#faults },
    };
  }

  reset(): void {
    this.#auth = 0;
    this.#authAttempts = 0;
    this.#businessCalls = 0;
    this.#calls = zeroes(API_NAMES);
    this.#faults = zeroes(FAULT_COUNTERS);
  }
}
