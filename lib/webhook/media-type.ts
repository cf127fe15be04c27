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

/** Checks a Content-Type header value; undefined (no header) is accepted, as before. */
export const checkJsonContentType = (value: string | undefined): MediaTypeCheck => {
  if (value === undefined) return { ok: true };
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
