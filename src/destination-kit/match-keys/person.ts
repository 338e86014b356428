/** Gender and birth date (Meta GEN and DOB). */
import { cleanText } from './text.js';

const GENDERS: Record<string, 'f' | 'm'> = { f: 'f', female: 'f', woman: 'f', m: 'm', male: 'm', man: 'm' };

/** Meta GEN: `f` or `m` from f/female/woman or m/male/man (any case); anything else is null. */
export function normalizeGender(value: unknown): string | null {
  const text = cleanText(value);
  return text === null ? null : (GENDERS[text.toLowerCase().replace(/\.$/, '')] ?? null);
}

function validDate(year: number, month: number, day: number, now: Date): boolean {
  if (year < 1900 || year > now.getUTCFullYear() || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Meta DOB as `YYYYMMDD` (year 1900 to this year, a real calendar day). Reads a Date (its UTC
 * day), an ISO date or timestamp (`1997-02-16`, `1997-02-16T00:00:00Z`), `YYYYMMDD`,
 * `YYYY/MM/DD`, and US-style `M/D/YYYY` (`2/16/1997`, Meta's example); a slashed date whose first
 * part is over 12 is read as `D/M/YYYY`. Anything else, and impossible dates, are null.
 */
export function normalizeBirthDate(value: unknown, now: Date = new Date()): string | null {
  let parts: [number, number, number] | undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    parts = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
  } else {
    const text = cleanText(value);
    if (text === null) return null;
    const ymd = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:[T ].*)?$/.exec(text);
    const mdy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
    if (ymd && (text.length >= 8 || /[-/.]/.test(text)))
      parts = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
    else if (mdy) {
      const [first, second, year] = [Number(mdy[1]), Number(mdy[2]), Number(mdy[3])];
      parts = first > 12 ? [year, second, first] : [year, first, second];
    }
  }
  if (!parts || !validDate(...parts, now)) return null;
  const [year, month, day] = parts;
  return `${year}${pad(month)}${pad(day)}`;
}
