// fatal: invalid UTF-8 is refused, not replaced; ignoreBOM: a leading BOM is kept, so the
// text re-encodes to exactly the bytes that were signed.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** With the `u` flag a surrogate pair is one code point, so this finds lone surrogates only. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * UTF-8 size of a body without copying it. A string's UTF-8 length is at least its UTF-16
 * length, so an oversized string is caught before it is measured.
 */
export const bodyExceeds = (body: string | Uint8Array, maxBytes: number): boolean =>
  typeof body === 'string'
    ? body.length > maxBytes || Buffer.byteLength(body, 'utf8') > maxBytes
    : body.byteLength > maxBytes;

/**
 * The body as text, or undefined if it is not well-formed Unicode. The signature is computed
 * over the UTF-8 bytes; text that does not round-trip (invalid UTF-8, lone surrogates) would let
 * different bodies share one signature, so it is refused instead.
 */
export const bodyText = (body: string | Uint8Array): string | undefined => {
  if (typeof body === 'string') return LONE_SURROGATE.test(body) ? undefined : body;
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
};
