/**
 * Per-API fixed-window limit, like an API gateway's (windows aligned to the clock, so an
 * injected clock controls them). Returns the Retry-After seconds for a refused request.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { index: number; count: number }>();

  readonly #now: () => number;
  readonly #windowMs: number;
  #limit: number | undefined;

  constructor(now: () => number, windowMs: number, limit: number | undefined) {
    if (!(windowMs > 0)) throw new TypeError('rateLimitWindowMs: a positive number is required');
    this.#now = now;
    this.#windowMs = windowMs;
    this.set(limit);
  }

  set(limit: number | undefined): void {
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
      throw new TypeError('rateLimitPerMinute: a positive integer is required');
    }
    this.#limit = limit;
    this.#windows.clear();
  }

  /** Undefined when admitted; otherwise seconds until the window ends, rounded up (≥ 1). */
  take(api: string): number | undefined {
    if (this.#limit === undefined) return undefined;
    const now = this.#now();
    const index = Math.floor(now / this.#windowMs);
    let window = this.#windows.get(api);
    if (!window || window.index !== index) {
      window = { index, count: 0 };
      this.#windows.set(api, window);
    }
    if (window.count < this.#limit) {
      window.count++;
      return undefined;
    }
    return Math.max(1, Math.ceil(((index + 1) * this.#windowMs - now) / 1000));
  }
}
