/**
 * A local Snowflake endpoint speaking the REST protocol snowflake-sdk uses, for tests without
 * cloud access: login (password and key-pair JWT), session tokens and their renewal, query
 * requests answered in Snowflake's JSON result format with large results split into
 * downloadable chunks, PUT to a LOCAL_FS stage and COPY INTO, session delete, heartbeat and
 * telemetry, and injectable faults (HTTP 503, expired session). SQL runs on one in-memory
 * DuckDB database (one connection per session) after transpiling Snowflake SQL to DuckDB.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EmulatorUser } from './auth.js';
import { catalogSetup } from './catalog.js';
import { type EmulatorState, type Fault, handle, type LoggedRequest } from './http.js';
import { IdentifierCase } from './identifier-case.js';
import { generateUserKeyPair, type UserKeyPair } from './keys.js';

export type { Fault, LoggedRequest };

/** Options for `startSnowflakeEmulator`. */
export interface SnowflakeEmulatorOptions {
  /** Account identifier the emulator answers for (default `weft-test`). */
  account?: string;
  /** Rows sent inline with a query response (default 1,000); the rest go to chunks. */
  inlineRows?: number;
  /** Rows per result chunk (default 2,000). */
  chunkRows?: number;
  /**
   * Refuse a quoted identifier that matches a table or column created through the emulator only
   * when case is ignored, as Snowflake does (`"id"` where an unquoted `AS id` stored `ID`).
   * DuckDB itself resolves names case-insensitively. Default false.
   */
  strictIdentifierCase?: boolean;
}

/** A user with a password and a registered RSA key pair. */
export interface EmulatorUserCredentials {
  name: string;
  password: string;
  keyPair: UserKeyPair;
}

/** A running emulator. */
export interface SnowflakeEmulator {
  /** The `accessUrl` (access_url) to give snowflake-sdk. */
  url: string;
  account: string;
  /** `password` (password auth) and `keyed` (key-pair auth: public key registered, no password). */
  users: { password: EmulatorUserCredentials; keyed: EmulatorUserCredentials };
  /** Every request answered, in order. */
  requests: LoggedRequest[];
  /** Every QUERY_TAG a session set. */
  queryTags: string[];
  /** Injects a fault (see `Fault`). */
  setFault(fault: Fault): void;
  /** Number of open sessions. */
  openSessions(): number;
  close(): Promise<void>;
}

/** Starts the emulator on 127.0.0.1 at a free port. */
export async function startSnowflakeEmulator(
  options: SnowflakeEmulatorOptions = {},
): Promise<SnowflakeEmulator> {
  const account = options.account ?? 'weft-test';
  const duck = await DuckDBInstance.create(':memory:');
  const setup = await duck.connect();
  for (const sql of catalogSetup) await setup.run(sql);
  setup.closeSync();
  const stageRoot = await mkdtemp(path.join(tmpdir(), 'weft-snowflake-emulator-'));
  const users = {
    password: { name: 'weft_user', password: `pw-${randomUUID()}`, keyPair: generateUserKeyPair() },
    keyed: { name: 'weft_service', password: `pw-${randomUUID()}`, keyPair: generateUserKeyPair() },
  };
  const registered: EmulatorUser[] = [
    { name: users.password.name, password: users.password.password, publicKeys: [] },
    { name: users.keyed.name, publicKeys: [users.keyed.keyPair.publicKey] },
  ];
  const state: EmulatorState = {
    account,
    users: registered,
    duck,
    stageRoot,
    chunkPlan: {
      baseUrl: '',
      inlineRows: options.inlineRows ?? 1000,
      chunkRows: options.chunkRows ?? 2000,
      chunkKey: randomUUID(),
    },
    sessions: new Map(),
    chunks: new Map(),
    requests: [],
    queryTags: [],
    faults: [],
    identifiers: new IdentifierCase(options.strictIdentifierCase ?? false),
  };
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.chunkPlan.baseUrl = url;
  return {
    url,
    account,
    users,
    requests: state.requests,
    queryTags: state.queryTags,
    setFault: (fault) => state.faults.push({ ...fault }),
    openSessions: () => state.sessions.size,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of state.sessions.values()) session.close();
      state.sessions.clear();
      duck.closeSync();
      await rm(stageRoot, { recursive: true, force: true });
    },
  };
}
