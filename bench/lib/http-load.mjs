/**
 * An open-loop HTTP/1.1 load generator on raw keep-alive sockets, for latency benches.
 *
 * Why not node:http's client: at 2,000 requests/s its per-request cost (request objects, header
 * parsing, agent bookkeeping) and garbage put several milliseconds of the *generator's* own
 * pauses into a p99 (a bare server answering a fixed body measured p99 7 ms through it on an
 * idle 2-core machine). Here each request is a prebuilt buffer written to a free connection and
 * each answer is read by its Content-Length, so the figure is the server's.
 *
 * Open loop: requests are due at `rate` per second whatever the answers do; a due request that
 * finds no free connection waits, and that wait counts (latency runs from when the generator
 * took it up to the last byte of its answer), so a slow server cannot hide behind a slow
 * generator.
 */
import net from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/**
 * Sends `rate` requests/s for `seconds` to `url` (GET each of `paths` in turn) over
 * `connections` keep-alive sockets. Answers `{ rate, p50, p99, max, errors, statuses }` in ms, and
 * `generator`: this process's own event-loop delay (p99, max) and longest GC pause meanwhile, in
 * ms (a generator that stalls adds its stall to every answer due then).
 */
export async function openLoopGet({ url, paths, headers = {}, rate, seconds, connections = 64 }) {
  const { hostname, port } = new URL(url);
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const requests = paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\nhost: ${hostname}\r\n${extra}\r\n`));
  const total = Math.round(rate * seconds);
  const latencies = [];
  const statuses = new Map();
  let errors = 0;
  let done = 0;
  const queue = []; // due times of requests waiting for a free connection
  const idle = [];
  let sent = 0;
  let finish;
  const finished = new Promise((resolve) => {
    finish = resolve;
  });
  const complete = (dueAt, status) => {
    latencies.push(performance.now() - dueAt);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status !== 200) errors++;
    if (++done === total) finish();
  };

  const sockets = await Promise.all(
    Array.from({ length: connections }, () => connect(hostname, Number(port), complete, () => errors++)),
  );
  for (const s of sockets) {
    s.onFree = () => {
      const dueAt = queue.shift();
      if (dueAt === undefined) idle.push(s);
      else s.send(requests[sent++ % requests.length], dueAt);
    };
    idle.push(s);
  }

  const loop = monitorEventLoopDelay({ resolution: 5 });
  let gcMax = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMax = Math.max(gcMax, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();
  const started = performance.now();
  let scheduled = 0;
  const interval = 1000 / rate;
  const tick = () => {
    const now = performance.now();
    while (scheduled < total && started + scheduled * interval <= now) {
      // Timed from when this loop turns, not the exact due instant: the timer's own lateness is
      // the generator's, while waiting for a free connection (the server is slow) still counts.
      const dueAt = now;
      scheduled++;
      const s = idle.pop();
      if (s) s.send(requests[sent++ % requests.length], dueAt);
      else queue.push(dueAt);
    }
    if (scheduled < total) setTimeout(tick, 0);
  };
  tick();
  // A request whose answer never comes (the server closed or stalled) must not hang the bench.
  let lastDone = -1;
  const watchdog = setInterval(() => {
    if (scheduled === total && done === lastDone) {
      errors += total - done;
      finish();
    }
    lastDone = done;
  }, 10_000);
  await finished;
  loop.disable();
  gc.disconnect();
  clearInterval(watchdog);
  const elapsed = (performance.now() - started) / 1000;
  for (const s of sockets) s.socket.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return {
    rate: Math.round(total / elapsed),
    p50: pct(50),
    p99: pct(99),
    max: latencies.at(-1),
    errors,
    statuses: Object.fromEntries(statuses),
    generator: { loopDelayP99: loop.percentile(99) / 1e6, loopDelayMax: loop.max / 1e6, gcMax },
  };
}

/** One keep-alive connection that carries one request at a time and reads answers by length. */
function connect(host, port, complete, onError) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    const conn = { socket, onFree: () => {}, send: undefined };
    let buffer = Buffer.alloc(0);
    let dueAt = 0;
    let status = 0;
    let bodyLeft = -1; // -1: reading the head
    conn.send = (request, due) => {
      dueAt = due;
      socket.write(request);
    };
    socket.on('data', (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (bodyLeft < 0) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buffer.subarray(0, end).toString('latin1');
          status = Number(head.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (!length) throw new Error(`answer without content-length: ${head.split('\r\n')[0]}`);
          bodyLeft = Number(length[1]);
          buffer = buffer.subarray(end + 4);
        }
        if (buffer.length < bodyLeft) return;
        buffer = buffer.subarray(bodyLeft);
        bodyLeft = -1;
        complete(dueAt, status);
        conn.onFree();
        if (buffer.length === 0) return;
      }
    });
    socket.once('connect', () => resolve(conn));
    socket.once('error', (error) => {
      onError(error);
      reject(error);
    });
  });
}
