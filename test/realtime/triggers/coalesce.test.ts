import { describe, expect, it } from 'vitest';
import { Coalescer, RecentSet } from '../../../src/realtime/triggers/coalesce.js';

describe('Coalescer (trigger offers in rounds: one set of warehouse statements per round)', () => {
  it('puts the calls made while a round runs into one next round, in call order', async () => {
    const rounds: number[][] = [];
    let release = () => {};
    const coalescer = new Coalescer<number>(async (items) => {
      rounds.push(items);
      if (rounds.length === 1)
        await new Promise<void>((resolve) => {
          release = resolve;
        });
    });
    const first = coalescer.add([1, 2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(coalescer.busy).toBe(true);
    const later = [coalescer.add([3]), coalescer.add([4, 5]), coalescer.add([6])];
    release();
    await Promise.all([first, ...later]);
    expect(rounds).toEqual([
      [1, 2],
      [3, 4, 5, 6],
    ]);
    await coalescer.drained();
    expect(coalescer.busy).toBe(false);
  });

  it('rejects every call of a failed round and goes on with the next', async () => {
    let calls = 0;
    const coalescer = new Coalescer<string>(async () => {
      calls++;
      if (calls === 1) throw new Error('warehouse down');
    });
    const a = coalescer.add(['a']);
    const b = coalescer.add(['b']); // same tick: same round
    await expect(a).rejects.toThrow('warehouse down');
    await expect(b).rejects.toThrow('warehouse down');
    await expect(coalescer.add(['c'])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe('RecentSet', () => {
  it('forgets the oldest member beyond its limit; adding again refreshes a member', () => {
    const set = new RecentSet(2);
    set.add('a');
    set.add('b');
    set.add('a'); // refreshed: b is now the oldest
    set.add('c');
    expect(set.has('a')).toBe(true);
    expect(set.has('b')).toBe(false);
    expect(set.has('c')).toBe(true);
  });
});
