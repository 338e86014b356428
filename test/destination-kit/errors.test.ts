import { describe, expect, it } from 'vitest';
import {
  classifyHttpResponse,
  classifyNetworkError,
  DestinationError,
  parseRetryAfter,
} from '../../src/destination-kit/index.js';

const headers = (init: Record<string, string> = {}) => new Headers(init);

describe('classifyHttpResponse', () => {
  it('returns undefined for 2xx', () => {
    for (const status of [200, 201, 204, 207])
      expect(classifyHttpResponse(status, headers(), '')).toBeUndefined();
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [400, 'record'],
    [413, 'record'],
    [422, 'record'],
    [404, 'config'],
    [410, 'config'],
    [301, 'config'],
    [408, 'retryable'],
    [423, 'retryable'],
    [425, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [429, 'rate_limit'],
  ])('maps HTTP %i to %s', (status, kind) => {
    const error = classifyHttpResponse(status, headers(), '{"message":"nope"}');
    expect(error?.kind).toBe(kind);
    expect(error?.status).toBe(status);
    expect(error?.message).toContain('nope');
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(classifyHttpResponse(429, headers({ 'retry-after': '7' }), '')?.retryAfterMs).toBe(7000);
    expect(classifyHttpResponse(503, headers({ 'retry-after': '1.5' }), '')?.retryAfterMs).toBe(1500);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = classifyHttpResponse(429, headers({ 'retry-after': inTenSeconds }), '')?.retryAfterMs ?? 0;
    expect(ms).toBeGreaterThan(8000);
    expect(ms).toBeLessThanOrEqual(10_000);
    expect(classifyHttpResponse(429, headers(), '')?.retryAfterMs).toBeUndefined();
  });

  it('truncates long bodies in messages', () => {
    const error = classifyHttpResponse(400, headers(), 'x'.repeat(5000));
    expect(error?.message.length).toBeLessThan(400);
  });
});

describe('parseRetryAfter', () => {
  it('ignores junk, clamps past dates to 0 and caps huge waits', () => {
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
    expect(parseRetryAfter('999999')).toBe(15 * 60_000);
  });
});

describe('classifyNetworkError', () => {
  it('treats timeouts and resets as retryable, keeps aborts and DestinationErrors', () => {
    const timeout = new DOMException('timed out', 'TimeoutError');
    expect((classifyNetworkError(timeout, 'http://x') as DestinationError).kind).toBe('retryable');
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }),
    });
    const classified = classifyNetworkError(reset, 'http://x') as DestinationError;
    expect([classified.kind, classified.code]).toEqual(['retryable', 'ECONNRESET']);
    const abort = new DOMException('aborted', 'AbortError');
    expect(classifyNetworkError(abort, 'http://x')).toBe(abort);
    const own = new DestinationError('auth', 'no');
    expect(classifyNetworkError(own, 'http://x')).toBe(own);
  });

  it('flags fatal and retryable kinds', () => {
    expect(new DestinationError('auth', 'x').isFatal).toBe(true);
    expect(new DestinationError('config', 'x').isFatal).toBe(true);
    expect(new DestinationError('rate_limit', 'x').isRetryable).toBe(true);
    expect(
      new DestinationError('record', 'x').isRetryable || new DestinationError('record', 'x').isFatal,
    ).toBe(false);
  });
});
