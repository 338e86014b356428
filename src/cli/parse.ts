/** Option parsers that turn bad values into usage errors (exit 2). */
import { InvalidArgumentError } from 'commander';

/** Parses a whole number >= `min` (default 1) for option `name`. */
export function parsePositiveInt(name: string, min = 1): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} takes a whole number >= ${min}, got '${value}'.`);
    }
    return n;
  };
}
