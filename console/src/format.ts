/** Small display helpers. */

export function when(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('T', ' ').slice(0, 19);
}

export function count(value: unknown): string {
  return value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US');
}

export function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function ms(value: unknown): string {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;
}
