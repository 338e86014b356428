/**
 * Write keys → source names. Keys are compared by their SHA-256 (a lookup that does not leak
 * how much of a wrong key matched), and shown masked: all but the last 4 characters hidden.
 */
import { createHash } from 'node:crypto';
import type { EventsConfig } from '../../config/schemas/events.js';

/** A configured events source. */
export interface EventSource {
  name: string;
  /** Browser origins allowed, or undefined for any. */
  corsOrigins?: string[];
  maskedKey: string;
}

/** Finds the source of a presented write key. */
export class WriteKeys {
  private readonly byDigest = new Map<string, EventSource>();
  readonly sources: EventSource[] = [];

  constructor(sources: EventsConfig['sources']) {
    for (const [name, source] of Object.entries(sources)) {
      const entry: EventSource = {
        name,
        corsOrigins: source.cors_origins,
        maskedKey: maskKey(source.write_key),
      };
      this.byDigest.set(digest(source.write_key), entry);
      this.sources.push(entry);
    }
  }

  /** The source owning `key`, or undefined. */
  lookup(key: string | undefined): EventSource | undefined {
    return key ? this.byDigest.get(digest(key)) : undefined;
  }
}

/** `••••••••abcd`: the last 4 characters, the rest hidden (all of it when the key is short). */
export function maskKey(key: string): string {
  if (key.length <= 8) return '•'.repeat(key.length);
  return `${'•'.repeat(8)}${key.slice(-4)}`;
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
