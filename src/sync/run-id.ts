/** Run ids: sortable by start time (UTC), unique enough to never collide. */
import { randomBytes } from 'node:crypto';

/** `20240102T030405123Z-a1b2c3`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
