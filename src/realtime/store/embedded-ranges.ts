/**
 * Clean-up of the embedded store's key ranges (embedded.ts): the generations a load leaves behind,
 * removed in batches on LMDB's writer thread.
 */
import type { Database } from 'lmdb';
import type { Served } from './embedded-delta.js';

type Key = (string | number)[];

/** The generations of a served state, to keep. */
export function served(s: Served | undefined): number[] {
  return s === undefined ? [] : s.delta === undefined ? [s.gen] : [s.gen, s.delta];
}

/** Removes the keys of every generation but those in `keep` (numbers sort before strings). */
export async function removeOtherGenerations(db: Database, keep: number[]): Promise<void> {
  let from = 0;
  for (const gen of [...keep].sort((a, b) => a - b)) {
    await removeRange(db, [from], [gen]);
    from = gen + 1;
  }
  await removeRange(db, [from], [Number.MAX_SAFE_INTEGER]);
}

/** Removes the keys from `start` (included) to `end` (excluded), in batches. */
export async function removeRange(db: Database, start: Key, end: Key): Promise<void> {
  let keys: Key[] = [];
  const removeAll = (batch: Key[]) =>
    db.batch(() => {
      for (const key of batch) db.remove(key);
    });
  for (const key of db.getKeys({ start, end })) {
    keys.push(key as Key);
    if (keys.length >= 10_000) {
      await removeAll(keys);
      keys = [];
    }
  }
  if (keys.length > 0) await removeAll(keys);
}
