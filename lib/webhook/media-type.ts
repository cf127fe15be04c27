/**
 * The Content-Type rule of the webhook: a JSON media type (`application/json` or a `+json`
 * structured suffix such as `application/cloudevents+json`), read as UTF-8 and nothing else.
 *
 * Syntax is RFC 9110 §8.3.1 and §5.6.6: `type "/" subtype *( OWS ";" OWS [ name "=" value ] )`,
 * value a token or a quoted-string; type, subtype, parameter names and the charset value are
 * case-insensitive; no whitespace around "=". Other parameters are ignored (application/json
 * defines none, RFC 8259 §11).
 *
 * Charset: absent, or `utf-8` in any case, quoted or not. Anything else gets 415, including
 * `utf8` and IANA's alias `csUTF8`: RFC 8259 §8.1 requires UTF-8, and a body must have one
 * meaning to every reader of the request. A proxy or audit tool that does not know a spelling
 * falls back to a default charset of its own, so only the IANA preferred MIME name `UTF-8` is
 * taken. A charset given twice is refused too, whatever the values (readers differ on which wins).
 *
 * Not the `content-type` npm package: it keeps the last of repeated parameters, which is the very
 * ambiguity refused here, and the rule fits in these few lines.
 */

export type MediaTypeCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*"';
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})`, 'y');
/** One `OWS ";" OWS [ parameter ]` step; sticky, so each step is matched on its own (no backtracking across steps). */
const PARAMETER = new RegExp(`[ \\t]*;[ \\t]*(?:(${TOKEN})=(${TOKEN}|${QUOTED}))?`, 'y');
/** application/json, or a structured suffix such as application/cloudevents+json. */
const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9.+-]+\+json)$/;
/** Longer values are not a media type anyone sends (RFC 6838 caps names at 127 characters). */
const MAX_CONTENT_TYPE_CHARS = 1024;

const refuse = (message: string): MediaTypeCheck => ({ ok: false, message });
const unquote = (value: string) =>
  value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;

/**
 * Checks a Content-Type header value. No header is refused too: a reader that guesses the type
 * (a proxy, an audit tool) may guess another one, and every HR system we know sends it.
 */
export const checkJsonContentType = (value: string | undefined): MediaTypeCheck => {
  if (value === undefined) return refuse('content-type is required: application/json');
  const text = value.trim();
  if (text.length > MAX_CONTENT_TYPE_CHARS) return refuse('content-type is too long');
  MEDIA_TYPE.lastIndex = 0;
  const media = MEDIA_TYPE.exec(text);
  if (!media || !JSON_MEDIA_TYPE.test(`${media[1]}/${media[2]}`.toLowerCase())) {
    return refuse('content-type must be application/json');
  }
  const charsets: string[] = [];
  let at = MEDIA_TYPE.lastIndex;
  for (;;) {
    PARAMETER.lastIndex = at;
    const parameter = PARAMETER.exec(text);
    if (!parameter) break;
    if (parameter[1]?.toLowerCase() === 'charset') charsets.push(unquote(parameter[2]!).toLowerCase());
    at = PARAMETER.lastIndex;
  }
  // The value is trimmed, so anything left over is not a parameter.
  if (at !== text.length) {
    return refuse('content-type parameters are malformed (RFC 9110: name=value, separated by ";")');
  }
  if (charsets.length > 1) return refuse('content-type gives charset more than once');
  if (charsets.length === 1 && charsets[0] !== 'utf-8') {
    return refuse('content-type charset must be utf-8 (or absent): the body is read as UTF-8 only');
  }
  return { ok: true };
};

/** A content-coding token (RFC 9110 §8.4.1); anything else is not named back to the sender. */
const CODING = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

/**
 * Checks a Content-Encoding header value: absent or `identity` only (RFC 9110 §8.4; 415 per
 * §15.5.16). The body is read, size-checked and signed as the bytes that came; nothing here
 * inflates gzip or br, which would also undo the size limit (a small body, a huge document).
 * The refusal names the first other coding, if it is a plain token (never arbitrary header text).
 */
export const checkContentEncoding = (value: string | undefined): MediaTypeCheck => {
  if (value === undefined) return { ok: true };
  const codings = value
    .split(',')
    .map((coding) => coding.trim())
    .filter(Boolean);
  const other = codings.find((coding) => coding.toLowerCase() !== 'identity');
  if (other === undefined) return { ok: true };
  const named = CODING.test(other) ? ` ${JSON.stringify(other.toLowerCase())}` : '';
  return refuse(`content-encoding${named} is not supported: send the body uncompressed (identity)`);
};
