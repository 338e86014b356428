/**
 * Exact numbers. A warehouse DECIMAL/NUMERIC/NUMBER value is read as a JS `number` only when
 * the double holds it exactly (its shortest text is the decimal's text), as a `bigint` when it
 * is a whole number beyond 2^53, and otherwise as an `ExactNumber` carrying its decimal text:
 * `12345678901234567890.1234567891` is never rounded to `12345678901234567000` on its way to a
 * destination. Writers (src/destination-kit/exact-json.ts, CSV cells, templates) print every
 * one of the three as its exact digits.
 */

/** A decimal no JS number holds exactly, as its canonical text (`-12.5`, never `12.50` or `1e3`). */
export class ExactNumber {
  constructor(
    /** Canonical decimal text: optional `-`, digits, optional `.digits` without trailing zeros. */
    readonly text: string,
  ) {}

  /**
   * Arithmetic and comparisons (`Number(x)`, `x > 3`) get the nearest double, lossy by nature;
   * text contexts (`${x}`, `'' + x`, Handlebars) get the exact digits.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | string {
    return hint === 'number' ? Number(this.text) : this.text;
  }

  toString(): string {
    return this.text;
  }

  /** Generic JSON (`--json` output, logs) gets the exact text as a string; request bodies use exact-json. */
  toJSON(): string {
    return this.text;
  }
}

/** A number as JSON number text, exactly: `12345678901234567890.1234567891`, `9007199254740993`, `0.5`. */
export function numberText(value: number | bigint | ExactNumber): string {
  return typeof value === 'number' ? String(value) : value.toString();
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Canonical decimal text of a number literal (`+0012.3400` → `12.34`, `1.5e3` → `1500`, `-0` →
 * `0`), or undefined when `text` is not one. Exponents beyond ±400 are refused (no such values
 * come from a warehouse, and expanding them would be huge).
 */
export function canonicalDecimal(text: string): string | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > 400) return undefined;
  let digits = whole + fraction;
  let point = whole.length + exponent; // digits before the decimal point
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const intPart = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fracPart = digits.slice(point).replace(/0+$/, '');
  const body = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  return sign === '-' && body !== '0' ? `-${body}` : body;
}

/**
 * The JS value of an exact decimal's text: a `number` when the double holds it exactly, a
 * `bigint` for a whole number beyond 2^53, else an `ExactNumber`. `NaN`/`Infinity` spellings
 * become those numbers. Text that is no number is returned as it is.
 */
export function exactNumber(text: string): number | bigint | ExactNumber | string {
  const canonical = canonicalDecimal(text);
  if (canonical === undefined) {
    const special = specialNumber(text);
    return special ?? text;
  }
  const asNumber = Number(canonical);
  if (!canonical.includes('.')) return Number.isSafeInteger(asNumber) ? asNumber : BigInt(canonical);
  return String(asNumber) === canonical ? asNumber : new ExactNumber(canonical);
}

/** `NaN`, `Infinity`, `-inf` (as engines spell them) as numbers; undefined for anything else. */
function specialNumber(text: string): number | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'infinity' || lower === 'inf' || lower === '+infinity' || lower === '+inf')
    return Number.POSITIVE_INFINITY;
  if (lower === '-infinity' || lower === '-inf') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/**
 * A scaled integer (`value / 10^scale`, as DuckDB hands DECIMALs over) as an exact JS value:
 * a fast path for the common case (at most 15 significant digits always round-trip through a
 * double, and one IEEE division of two exact doubles is correctly rounded), else the text path.
 */
export function exactScaled(value: bigint, scale: number): number | bigint | ExactNumber {
  if (scale === 0) return exactNumber(value.toString()) as number | bigint;
  if (value < 1_000_000_000_000_000n && value > -1_000_000_000_000_000n && scale <= 22) {
    return Number(value) / 10 ** scale;
  }
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return exactNumber(text) as number | bigint | ExactNumber;
}
