import { cloudEventToHrEvent, looksLikeCloudEvent } from './cloud-event.js';
import { DEFAULT_MAX_EVENTS, MAX_DELIVERY_ERRORS } from './constants.js';
import { type DeliveryError, describeType, formatPath, issuesToErrors } from './delivery-errors.js';
import { cloudEventSchema, type HrEvent, hrEventSchema } from './schemas.js';
import { DUPLICATE_KEY_MESSAGE, parseStrictJson } from './strict-json.js';

export interface ParseDeliveryOptions {
  /** Most events accepted in one delivery (default 100). */
  readonly maxEvents?: number;
}

export type DeliveryResult =
  | { readonly ok: true; readonly events: HrEvent[] }
  | { readonly ok: false; readonly errors: DeliveryError[] };

const fail = (errors: DeliveryError[]): DeliveryResult => {
  if (errors.length <= MAX_DELIVERY_ERRORS) return { ok: false, errors };
  const shown = errors.slice(0, MAX_DELIVERY_ERRORS);
  return {
    ok: false,
    errors: [...shown, { path: '$', message: `${errors.length - shown.length} more errors not shown` }],
  };
};

/** One item, bare or a CloudEvents envelope (normalised); `index` is its position in an array delivery. */
export const parseDeliveryItem = (
  item: unknown,
  index: number | undefined,
): { ok: true; event: HrEvent } | { ok: false; errors: DeliveryError[] } => {
  const base = index === undefined ? '$' : `$[${index}]`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    const message = `expected an event object, got ${describeType(item)}`;
    return { ok: false, errors: [{ ...(index === undefined ? {} : { index }), path: base, message }] };
  }
  if (looksLikeCloudEvent(item)) {
    const parsed = cloudEventSchema.safeParse(item);
    return parsed.success
      ? { ok: true, event: cloudEventToHrEvent(parsed.data) }
      : { ok: false, errors: issuesToErrors(parsed.error.issues, item, base, index) };
  }
  const parsed = hrEventSchema.safeParse(item);
  return parsed.success
    ? { ok: true, event: parsed.data }
    : { ok: false, errors: issuesToErrors(parsed.error.issues, item, base, index) };
};

const parseUnsafe = (body: unknown, maxEvents: number): DeliveryResult => {
  if (!Array.isArray(body)) {
    if (typeof body !== 'object' || body === null) {
      return fail([
        { path: '$', message: `expected an event object or an array of events, got ${describeType(body)}` },
      ]);
    }
    const single = parseDeliveryItem(body, undefined);
    return single.ok ? { ok: true, events: [single.event] } : fail(single.errors);
  }
  if (body.length === 0)
    return fail([{ path: '$', message: 'expected at least one event, got an empty array' }]);
  // Checked before any item is parsed, so an oversized batch costs nothing.
  if (body.length > maxEvents) {
    return fail([
      { path: '$', message: `too many events: ${body.length} (at most ${maxEvents} per delivery)` },
    ]);
  }
  const events: HrEvent[] = [];
  const errors: DeliveryError[] = [];
  const firstIndexOfId = new Map<string, number>();
  for (let index = 0; index < body.length && errors.length <= MAX_DELIVERY_ERRORS; index++) {
    const result = parseDeliveryItem(body[index], index);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const first = firstIndexOfId.get(result.event.id);
    if (first !== undefined) {
      errors.push({
        index,
        path: formatPath(`$[${index}]`, ['id']),
        message: `duplicate event id (same as $[${first}])`,
      });
      continue;
    }
    firstIndexOfId.set(result.event.id, index);
    events.push(result.event);
  }
  return errors.length > 0 ? fail(errors) : { ok: true, events };
};

/**
 * Validates a webhook delivery (already JSON-parsed): one event or an array of 1..maxEvents,
 * each bare or in a CloudEvents envelope (normalised to the bare shape). All-or-nothing: any
 * invalid item rejects the delivery, so a sender never has to work out which half was taken.
 * Never throws; errors name the path and never echo the values sent.
 */
export const parseDelivery = (body: unknown, options: ParseDeliveryOptions = {}): DeliveryResult => {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  try {
    return parseUnsafe(body, maxEvents);
  } catch {
    // Only reachable with exotic input (throwing getters, proxies); JSON.parse output never gets here.
    return fail([{ path: '$', message: 'body could not be read as JSON data' }]);
  }
};

/**
 * Parses the raw JSON text of a delivery (duplicate keys refused, see strict-json.ts), then
 * validates it. Never throws or echoes the body.
 */
export const parseDeliveryJson = (text: string, options: ParseDeliveryOptions = {}): DeliveryResult => {
  if (text.trim() === '') return fail([{ path: '$', message: 'body is empty' }]);
  const json = parseStrictJson(text);
  if (!json.ok) {
    if (json.problem === 'syntax') return fail([{ path: '$', message: 'body is not valid JSON' }]);
    const { path, index } = json;
    return fail([{ ...(index === undefined ? {} : { index }), path, message: DUPLICATE_KEY_MESSAGE }]);
  }
  return parseDelivery(json.value, options);
};
