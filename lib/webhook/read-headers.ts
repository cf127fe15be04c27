import type { WebhookHeaderRecord } from './types.js';

export type HeaderLookup =
  | { readonly ok: true; readonly get: (name: string) => string | undefined }
  | { readonly ok: false; readonly name: string };

/**
 * Case-insensitive view of the headers we care about. Two spellings of one header with
 * different values (e.g. `Webhook-Id` and `webhook-id`) are ambiguous and refused, rather
 * than letting one of them win silently. Non-string values count as absent.
 */
export const readHeaders = (headers: WebhookHeaderRecord, wanted: readonly string[]): HeaderLookup => {
  const values = new Map<string, string>();
  if (typeof headers !== 'object' || headers === null) return { ok: true, get: () => undefined };
  for (const key of Object.keys(headers)) {
    const name = key.toLowerCase();
    if (!wanted.includes(name)) continue;
    const value = headers[key];
    if (typeof value !== 'string') continue;
    const seen = values.get(name);
    if (seen !== undefined && seen !== value) return { ok: false, name };
    values.set(name, value);
  }
  return { ok: true, get: (name) => values.get(name) };
};
