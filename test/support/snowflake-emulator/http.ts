import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { DuckDBInstance } from '@duckdb/node-api';
import { checkLogin, type EmulatorUser } from './auth.js';
import { SqlError, toSqlError } from './errors.js';
import type { IdentifierCase } from './identifier-case.js';
import {
  type ChunkPlan,
  failure,
  rowsResponse,
  sessionParameters,
  sqlFailure,
  success,
} from './responses.js';
import { EmulatorSession } from './session.js';

/** One request the emulator answered (no bodies, no tokens). */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** For query-request: the SQL and the session's QUERY_TAG when it ran. */
  sqlText?: string;
  queryTag?: string;
  sessionId?: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

/** A failure to inject: HTTP 503 on the next `times` requests to `path`, or an expired session token. */
export type Fault =
  | { kind: 'unavailable'; path: string; times: number }
  | { kind: 'sessionExpired'; times: number };

/** Everything the request handler reads and updates. */
export interface EmulatorState {
  account: string;
  users: EmulatorUser[];
  duck: DuckDBInstance;
  stageRoot: string;
  chunkPlan: ChunkPlan;
  sessions: Map<number, EmulatorSession>;
  chunks: Map<string, string[]>;
  requests: LoggedRequest[];
  queryTags: string[];
  faults: Fault[];
  identifiers: IdentifierCase;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  let body = Buffer.concat(parts);
  // snowflake-sdk gzips bodies but may send the header before (or without) compressing: trust the magic bytes.
  if (body[0] === 0x1f && body[1] === 0x8b) body = gunzipSync(body);
  if (body.length === 0) return {};
  return JSON.parse(body.toString('utf8'));
}

function token(request: IncomingMessage): string | undefined {
  return /Snowflake Token="([^"]*)"/.exec(request.headers.authorization ?? '')?.[1];
}

function takeFault(state: EmulatorState, match: (fault: Fault) => boolean): Fault | undefined {
  const fault = state.faults.find(match);
  if (!fault) return undefined;
  fault.times -= 1;
  if (fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
  return fault;
}

/** Answers one HTTP request the way Snowflake's REST API does for snowflake-sdk. */
export async function handle(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const entry: LoggedRequest = {
    method: request.method ?? 'GET',
    path: url.pathname,
    status: 200,
    at: Date.now(),
  };
  state.requests.push(entry);
  const send = (status: number, body: unknown, type = 'application/json') => {
    entry.status = status;
    response.writeHead(status, { 'Content-Type': type });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (takeFault(state, (fault) => fault.kind === 'unavailable' && fault.path === url.pathname)) {
    return send(503, '<html>Service Unavailable</html>', 'text/html');
  }
  const path = url.pathname;
  if (path === '/session/v1/login-request') return login(state, await readJson(request), send);
  if (path.startsWith('/chunks/')) {
    const [, , queryId, index] = path.split('/');
    const body = state.chunks.get(queryId ?? '')?.[Number(index)];
    if (body === undefined || request.headers['x-emulator-chunk-key'] !== state.chunkPlan.chunkKey)
      return send(403, '<Error><Code>AccessDenied</Code></Error>', 'application/xml');
    return send(200, body, 'text/plain');
  }
  const presented = token(request);
  const sessions = [...state.sessions.values()];
  if (path === '/session/token-request') {
    const session = sessions.find((candidate) => candidate.masterToken === presented);
    if (!session) return send(200, failure('390114', 'Master token expired or invalid.'));
    session.token = randomUUID();
    session.expired = false;
    return send(
      200,
      success({
        sessionToken: session.token,
        validityInSecondsST: 3600,
        masterToken: session.masterToken,
        validityInSecondsMT: 14400,
        sessionId: session.id,
      }),
    );
  }
  const session = sessions.find((candidate) => candidate.token === presented);
  if (!session) return send(401, failure('390104', 'Invalid session token.'));
  entry.sessionId = session.id;
  if (path === '/session' && url.searchParams.get('delete') === 'true') {
    session.close();
    state.sessions.delete(session.id);
    return send(200, success(null));
  }
  if (path === '/session/heartbeat' || path === '/telemetry/send' || path.endsWith('/abort-request'))
    return send(200, success(null));
  if (path === '/queries/v1/query-request') {
    const body = await readJson(request);
    if (takeFault(state, (fault) => fault.kind === 'sessionExpired')) {
      session.expired = true;
      session.token = `expired-${randomUUID()}`;
      return send(200, failure('390112', 'Session token expired.'));
    }
    return query(state, session, body, entry, send);
  }
  return send(404, failure('404000', `The emulator has no endpoint ${request.method} ${path}`));
}

type Send = (status: number, body: unknown, type?: string) => void;

async function login(state: EmulatorState, body: Record<string, unknown>, send: Send): Promise<void> {
  const data = (body.data ?? {}) as Record<string, unknown>;
  const user = checkLogin(data, state.account, state.users);
  if (!('name' in user)) return send(200, failure(user.code, user.message, { nextAction: 'RETRY_LOGIN' }));
  const session = new EmulatorSession(
    user.name,
    await state.duck.connect(),
    state.stageRoot,
    (tag) => state.queryTags.push(tag),
    state.identifiers,
  );
  const initialTag = (data.SESSION_PARAMETERS as Record<string, unknown> | undefined)?.QUERY_TAG;
  if (typeof initialTag === 'string') {
    session.queryTag = initialTag;
    state.queryTags.push(initialTag);
  }
  state.sessions.set(session.id, session);
  return send(
    200,
    success({
      token: session.token,
      masterToken: session.masterToken,
      validityInSeconds: 3600,
      masterValidityInSeconds: 14400,
      sessionId: session.id,
      parameters: sessionParameters(session),
      sessionInfo: {
        databaseName: 'WEFT',
        schemaName: 'PUBLIC',
        warehouseName: 'EMULATOR_WH',
        roleName: 'PUBLIC',
      },
      displayUserName: user.name,
      serverVersion: '9.0.0 (weft emulator)',
      firstLogin: false,
      healthCheckInterval: 45,
    }),
  );
}

async function query(
  state: EmulatorState,
  session: EmulatorSession,
  body: Record<string, unknown>,
  entry: LoggedRequest,
  send: Send,
): Promise<void> {
  const sqlText = String(body.sqlText ?? '');
  entry.sqlText = sqlText;
  entry.queryTag = session.queryTag;
  const queryId = randomUUID();
  try {
    const outcome = await session.run(sqlText, (body.parameters ?? {}) as Record<string, unknown>);
    if (outcome.kind === 'put') return send(200, success({ ...outcome.data, queryId }));
    return send(
      200,
      rowsResponse(session, outcome.rows, state.chunkPlan, (id, bodies) => state.chunks.set(id, bodies)),
    );
  } catch (error) {
    const sqlError = error instanceof SqlError ? error : toSqlError(error);
    return send(200, sqlFailure(sqlError, queryId));
  }
}
