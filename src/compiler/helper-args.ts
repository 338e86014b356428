/** Argument checking and value formatting for the model template helpers. */

/**
 * The positional arguments of a helper call (handlebars appends its options object last),
 * checked to be `min`..`max` strings. A var default may be any scalar.
 */
export function stringArgs(
  helper: string,
  args: unknown[],
  min: number,
  max: number,
  report: (message: string) => string,
  lastMayBeScalar = false,
): Array<string | undefined> {
  const positional = args.slice(0, -1);
  const usage = `{{${helper}}} takes ${min === max ? min : `${min} or ${max}`} quoted argument(s)`;
  if (positional.length < min || positional.length > max) {
    report(`${usage}, got ${positional.length}`);
    return [];
  }
  const ok = positional.every(
    (arg, i) => typeof arg === 'string' || (lastMayBeScalar && i > 0 && isScalar(arg)),
  );
  if (!ok) {
    report(`${usage} (quote names: {{${helper} 'name'}})`);
    return [];
  }
  return positional.map((arg) => (arg === undefined ? undefined : String(arg)));
}

function isScalar(value: unknown): boolean {
  return ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/** Scalars render as-is (quote them in the SQL if they are strings); anything else as JSON. */
export function formatVar(value: unknown): string {
  return isScalar(value) || value === null ? String(value) : JSON.stringify(value);
}
