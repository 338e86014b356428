/**
 * Slows key guessing on the console: every refused key (wrong or missing) costs its client
 * address one of `failures` tries, which come back at `failures` per `perSeconds`. An address with
 * none left gets 429 with Retry-After for every call, even one with a right key (else the lockout
 * would still tell a right guess from a wrong one); other addresses are never affected, and right
 * keys cost nothing.
 */
import type { IncomingMessage } from 'node:http';
import { RateLimiter } from '../rate-limit.js';

/** How many wrong keys an address may send, and how fast its tries come back. */
export interface SignInLimitOptions {
  /** Wrong keys an address may send in a row before it is refused (default 10). */
  failures?: number;
  /** The seconds in which all `failures` tries come back (default 60). */
  perSeconds?: number;
  /** The clock in milliseconds (tests). */
  now?: () => number;
}

/** Addresses tracked before the ones that have recovered are forgotten. */
const PRUNE_AT = 10_000;

/** The console's wrong-key limit, per client address. */
export class SignInLimit {
  private readonly limiter: RateLimiter;

  constructor(options: SignInLimitOptions = {}) {
    const failures = Math.max(1, options.failures ?? 10);
    const perSeconds = Math.max(1, options.perSeconds ?? 60);
    this.limiter = new RateLimiter(failures / perSeconds, failures, options.now);
  }

  /** 0 when `request`'s address may call, else the seconds before it may try again. */
  wait(request: IncomingMessage): number {
    return this.limiter.wait(clientAddress(request));
  }

  /** Counts a refused key from `request`'s address. */
  failed(request: IncomingMessage): void {
    if (this.limiter.size >= PRUNE_AT) this.limiter.prune();
    this.limiter.take(clientAddress(request));
  }
}

/**
 * The address of the connection. X-Forwarded-For is not trusted: anyone can send it, so a guesser
 * would get a fresh address per request (behind a proxy every client shares the proxy's address).
 */
function clientAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
