import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Wraps a secret value so that logging, `String()`, `JSON.stringify` and `util.inspect`
 * of any object holding it never print it. Call `reveal()` only where the value is sent.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export const isSecret = (value: unknown): value is Secret => value instanceof Secret;
