/**
 * JSON without rounding. `JSON.parse` turns `12345678901234567890123` into
 * `1.2345678901234568e+22` and `JSON.stringify` refuses bigints; Node 20 has neither
 * `JSON.rawJSON` nor the reviver's source text. So: `parseExactJson` reads number tokens a
 * double would round as `bigint`/`ExactNumber`, and `exactJson` writes bigints and
 * `ExactNumber`s as their exact digits (a JSON number), everything else as `JSON.stringify` does.
 */
import { randomBytes } from 'node:crypto';
import { ExactNumber, exactNumber, numberText } from './exact-number.js';

// Per process: a value can never spell it by chance (it is only ever built here).
const nonce = randomBytes(8).toString('hex');
const MARK = `\u0000weft-exact-${nonce}:`;
/** MARK as JSON spells it (the NUL escaped). */
const MARK_IN_JSON = `\\u0000weft-exact-${nonce}:`;
const MARKED_OUTPUT = new RegExp(`"\\\\u0000weft-exact-${nonce}:([-0-9.]+)"`, 'g');

/** JSON text of `value` with bigints and ExactNumbers as exact JSON numbers (no rounding, no quotes). */
export function exactJson(value: unknown): string {
  let marked = false;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key, converted) {
    const original = this[key]; // before toJSON: an ExactNumber's toJSON would make it a string
    if (typeof original === 'bigint' || original instanceof ExactNumber) {
      marked = true;
      return MARK + numberText(original);
    }
    return converted;
  }) as string | undefined;
  if (text === undefined) return 'null';
  return marked ? text.replace(MARKED_OUTPUT, '$1') : text;
}

// A run of 16+ number characters: only such a token can hold more digits than a double keeps.
const LONG_NUMBER = /\d[\d.eE+-]{15,}/;
const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * `JSON.parse`, except that a number a double would round becomes a `bigint` (whole) or an
 * `ExactNumber` (fraction). Throws SyntaxError on invalid JSON, like `JSON.parse`.
 */
export function parseExactJson(text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text);
  let out = '';
  let copied = 0;
  let replaced = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      continue;
    }
    if (char !== 45 /* - */ && (char < 48 || char > 57)) continue;
    NUMBER_TOKEN.lastIndex = i;
    const token = NUMBER_TOKEN.exec(text)?.[0];
    if (!token) continue;
    const value = exactNumber(token);
    if (typeof value !== 'number') {
      out += `${text.slice(copied, i)}"${MARK_IN_JSON}${numberText(value as bigint | ExactNumber)}"`;
      copied = i + token.length;
      replaced = true;
    }
    i += token.length - 1;
  }
  if (!replaced) return JSON.parse(text);
  out += text.slice(copied);
  return JSON.parse(out, (_key, value) =>
    typeof value === 'string' && value.startsWith(MARK) ? exactNumber(value.slice(MARK.length)) : value,
  );
}
