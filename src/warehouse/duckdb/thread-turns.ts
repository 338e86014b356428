/**
 * DuckDB lets one process open a file once at a time: two instances on one file corrupt it, and
 * its file lock does not stop a second open from the same process. Within a thread the instance
 * cache shares one instance; threads do not share module state, so threads of one process that
 * open DuckDB files (the collector and its lander worker) take turns through one lock word in
 * shared memory. A thread holds the turn while it has any DuckDB file open.
 *
 * Nothing happens until `shareThreadTurns` (the thread that starts workers) or `joinThreadTurns`
 * (a worker) is called: ordinary single-threaded commands never wait.
 *
 * The shared buffer holds two words: the turn (0 free, 1 taken) and how many threads wait for it,
 * so a thread keeping a file open only while nobody needs it (the console's warm warehouse,
 * src/warehouse/shared-access.ts) can tell that another thread does (`othersWaitForTurn`).
 */

/** `Atomics.waitAsync` (Node ≥ 16; typed from ES2024 on, newer than this project's lib). */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

let word: Int32Array | undefined;
/** Index of the count of threads waiting for the turn. */
const WAITING = 1;
let buffer: SharedArrayBuffer | undefined;
/** Files this thread holds open; the turn is taken at 0 → 1 and given back at 1 → 0. */
let held = 0;
let taking: Promise<void> | undefined;

/** Turns on turn-taking in this thread and returns the buffer to hand to worker threads. */
export function shareThreadTurns(): SharedArrayBuffer {
  if (!buffer) {
    buffer = new SharedArrayBuffer(8);
    word = new Int32Array(buffer);
    // A file this thread already holds keeps the turn it implicitly has.
    if (held > 0) Atomics.store(word, 0, 1);
  }
  return buffer;
}

/** In a worker: takes turns with the thread that shared `shared`. */
export function joinThreadTurns(shared: SharedArrayBuffer): void {
  buffer = shared;
  word = new Int32Array(shared);
}

/** Waits for this thread's turn (re-entrant: a thread already holding a file goes on at once). */
export async function takeThreadTurn(): Promise<void> {
  if (!word) {
    held += 1;
    return;
  }
  if (held > 0) {
    held += 1;
    return;
  }
  // Concurrent opens within this thread wait for one take.
  if (taking) {
    await taking;
    held += 1;
    return;
  }
  const lock = word;
  taking = (async () => {
    // A pending waitAsync does not keep a thread's event loop alive: a timer does, meanwhile.
    let keepAlive: NodeJS.Timeout | undefined;
    let waiting = false;
    try {
      while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) {
        if (!waiting) {
          Atomics.add(lock, WAITING, 1);
          waiting = true;
        }
        keepAlive ??= setInterval(() => undefined, 1000);
        const wait = waitAsync(lock, 0, 1, 1000);
        if (wait.async) await wait.value;
      }
    } finally {
      if (waiting) Atomics.sub(lock, WAITING, 1);
      clearInterval(keepAlive);
    }
  })();
  try {
    await taking;
  } finally {
    taking = undefined;
  }
  held += 1;
}

/** Gives back one hold; the last one hands the turn to a waiting thread. */
export function endThreadTurn(): void {
  if (held === 0) return;
  held -= 1;
  if (held === 0 && word) {
    Atomics.store(word, 0, 0);
    Atomics.notify(word, 0);
  }
}

/** Whether another thread of this process waits for the turn this thread holds. */
export function othersWaitForTurn(): boolean {
  return word !== undefined && held > 0 && Atomics.load(word, WAITING) > 0;
}
