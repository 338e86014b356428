/** Keeping secrets out of logs and error messages. */

/** Header names whose values are always redacted. */
const SECRET_HEADERS =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-weft-signature)$/i;

/** Replaces every occurrence of each secret (4+ characters) in `text` with `***`, longest first. */
export function redact(text: string, secrets: readonly string[]): string {
  const ordered = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  let result = text;
  for (const value of ordered) result = result.split(value).join('***');
  return result;
}

/** A copy of `headers` safe to log: auth-like headers and any header carrying a secret become `***`. */
export function redactHeaders(
  headers: Record<string, string>,
  secrets: readonly string[],
): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    safe[name] = SECRET_HEADERS.test(name) ? '***' : redact(value, secrets);
  }
  return safe;
}
