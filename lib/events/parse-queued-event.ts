import { describeType, issuesToErrors } from './delivery-errors.js';
import { EventValidationError } from './errors.js';
import { type HrEvent, hrEventSchema } from './schemas.js';

const MAX_LISTED = 3;

const invalid = (errors: EventValidationError['errors']): EventValidationError => {
  const listed = errors.slice(0, MAX_LISTED).map((e) => `${e.path}: ${e.message}`);
  const more = errors.length > MAX_LISTED ? ` (+${errors.length - MAX_LISTED} more)` : '';
  return new EventValidationError(`queued event is invalid: ${listed.join('; ')}${more}`, errors);
};

/**
 * Parses one queue message body. Queue bodies are written by the webhook after parseDelivery,
 * so they are always the normalised bare form; anything else is a bug or tampering, and
 * throws EventValidationError (permanent: a retry cannot fix it).
 */
export const parseQueuedEvent = (body: string): HrEvent => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    // The engine's message quotes the body; only its class is kept.
    throw new EventValidationError(
      'queued event is not valid JSON',
      [{ path: '$', message: 'not valid JSON' }],
      {
        cause: error instanceof Error ? error.name : undefined,
      },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid([{ path: '$', message: `expected an event object, got ${describeType(json)}` }]);
  }
  const parsed = hrEventSchema.safeParse(json);
  if (!parsed.success) throw invalid(issuesToErrors(parsed.error.issues, json, '$', undefined));
  return parsed.data;
};
