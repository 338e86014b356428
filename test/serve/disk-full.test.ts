/**
 * How log refusals reach clients: a log that cannot write (LogUnavailableError, e.g. ENOSPC)
 * makes the collector answer 503 with Retry-After; a log that is behind (LogBehindError) 429.
 * The log here is a stand-in that refuses, so the HTTP mapping is tested without filling a disk.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteKeys } from '../../src/events/collect/write-keys.js';
import { emptyLogBatch } from '../../src/events/log/batch.js';
import { LogBehindError, LogUnavailableError } from '../../src/events/log/index.js';
import type { EventLog } from '../../src/events/types.js';
import { Metrics } from '../../src/serve/metrics.js';
import { createCollectorServer } from '../../src/serve/server.js';
import { TailHub } from '../../src/serve/tail-route.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function serverWith(refusal: Error): Promise<string> {
  const log: EventLog = {
    append: () => Promise.reject(refusal),
    read: async () => emptyLogBatch(),
    stats: async () => ({ pending: 0 }),
    close: async () => undefined,
  };
  const server = createCollectorServer({
    log,
    keys: new WriteKeys({ app: { write_key: 'a-write-key-1234' } }),
    metrics: new Metrics(),
    tail: new TailHub([]),
    readiness: async () => ({ ready: true }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function track(url: string) {
  return fetch(`${url}/v1/track`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('a-write-key-1234:').toString('base64')}` },
    body: JSON.stringify({ userId: 'u', event: 'E' }),
  });
}

describe('log refusals over HTTP', () => {
  it('answers 503 with Retry-After when the log cannot write (disk full)', async () => {
    const url = await serverWith(
      new LogUnavailableError('the event log cannot write to disk (ENOSPC): no space left', 7),
    );
    const response = await track(url);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(((await response.json()) as { error: string }).error).toContain('ENOSPC');
  });

  it('answers 429 with Retry-After when too many events wait to land', async () => {
    const url = await serverWith(
      new LogBehindError('the event log holds 9 events not yet in the warehouse', 2),
    );
    const response = await track(url);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
  });
});
