/**
 * Database URLs of `weft load --from`: which knex client reads them, and how they are shown
 * (the password masked as `***`, everywhere: messages, summaries, state tables).
 */
import { LoadError } from '../write.js';

/** The source engines `weft load --from` reads, by knex client name. */
export type SourceClient = 'mysql2' | 'pg' | 'mssql';

/** A parsed `--from` URL. */
export interface SourceUrl {
  client: SourceClient;
  /** The URL as given (holds the password: never print it). */
  url: string;
  /** The URL with its password replaced by `***`: safe to show. */
  masked: string;
  /** The password, decoded, so it can be scrubbed from driver messages ('' when none). */
  password: string;
}

const CLIENTS: Record<string, SourceClient> = {
  'mysql:': 'mysql2',
  'mariadb:': 'mysql2',
  'postgres:': 'pg',
  'postgresql:': 'pg',
  'mssql:': 'mssql',
  'sqlserver:': 'mssql',
};

/** `mysql://user:secret@host/db` → `mysql://user:***@host/db`; text that is not a URL is hidden after `:`. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Parses a `--from` URL; a clear LoadError for anything else (never echoing the password). */
export function parseSourceUrl(url: string): SourceUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LoadError(
      `--from takes a database URL such as mysql://user:password@host:3306/db, got '${maskUrl(url)}'`,
    );
  }
  const client = CLIENTS[parsed.protocol];
  if (!client) {
    throw new LoadError(
      `--from ${maskUrl(url)}: unsupported database '${parsed.protocol.replace(':', '')}' (use mysql://, mariadb://, postgres:// or mssql://)`,
    );
  }
  if (!parsed.pathname || parsed.pathname === '/') {
    throw new LoadError(`--from ${maskUrl(url)}: the URL names no database (…/DATABASE at its end)`);
  }
  return { client, url, masked: maskUrl(url), password: decodeURIComponent(parsed.password) };
}

/** Removes every occurrence of the password (raw and URL-encoded) from a message. */
export function scrubPassword(text: string, source: Pick<SourceUrl, 'password'>): string {
  let out = text;
  for (const secret of new Set([source.password, encodeURIComponent(source.password)])) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
