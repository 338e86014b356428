/** Which rendered values are secrets, and how to keep them out of any output. */

const SECRET_NAME = /(token|secret|passw|pwd|api_?key|apikey|private|credential|auth|(^|_)key$)/i;

/** True when a variable or key name suggests a secret (token, password, api_key, …). */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Values shorter than this are never treated as secrets: redacting e.g. "1" or "dev" would
 * mangle ordinary output, and a real credential is never that short.
 */
export const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of every secret in `text` with `***` (longest secrets first). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const ordered = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of ordered) result = result.split(secret).join('***');
  return result;
}
