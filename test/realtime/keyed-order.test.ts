import { describe, expect, it } from 'vitest';
import { KeyedOrder } from '../../src/realtime/live/ordered.js';

/** A task that records its start and end, and finishes when `release` is called. */
function gate(log: string[], name: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const task = async () => {
    log.push(`start ${name}`);
    await released;
    log.push(`end ${name}`);
  };
  return { task, release: () => release() };
}

describe('KeyedOrder (live identity stitches events at once unless they share an identifier)', () => {
  it('runs tasks with disjoint keys at once', async () => {
    const order = new KeyedOrder();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const ran = [order.run(['u1'], a.task), order.run(['u2'], b.task)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start a', 'start b']);
    b.release();
    a.release();
    await Promise.all(ran);
    expect(order.size).toBe(0);
  });

  it('runs a task after every earlier task sharing any of its keys, in call order', async () => {
    const order = new KeyedOrder();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const c = gate(log, 'c');
    const ran = [
      order.run(['anon-1'], a.task),
      order.run(['user-9'], b.task),
      // shares anon-1 with a and user-9 with b: waits for both
      order.run(['anon-1', 'user-9'], c.task),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start a', 'start b']);
    a.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).not.toContain('start c');
    b.release();
    c.release();
    await Promise.all(ran);
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end b'));
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end a'));
  });

  it('a failed task rejects its own run and does not block the next one on its key', async () => {
    const order = new KeyedOrder();
    const failed = order.run(['k'], async () => {
      throw new Error('conflict');
    });
    let ranAfter = false;
    const next = order.run(['k'], async () => {
      ranAfter = true;
    });
    await expect(failed).rejects.toThrow('conflict');
    await next;
    expect(ranAfter).toBe(true);
  });
});
