import { randomUUID } from 'node:crypto';
import type { SqlError } from './errors.js';
import type { SnowflakeRows } from './rowset.js';
import type { EmulatorSession } from './session.js';

/** Snowflake's envelope for a failure: HTTP 200, `success: false`, GS code and message. */
export function failure(code: string, message: string, data: Record<string, unknown> | null = null) {
  return { data, code, message, success: false, headers: null };
}

/** The envelope for a success. */
export function success(data: unknown) {
  return { data, code: null, message: null, success: true };
}

/** A SQL error in the query-request envelope (the SDK reads `data.sqlState` and `data.queryId`). */
export function sqlFailure(error: SqlError, queryId: string) {
  return failure(error.code, error.message, {
    internalError: false,
    errorCode: error.code,
    age: 0,
    sqlState: error.sqlState,
    queryId,
    line: -1,
    pos: -1,
    type: 'COMPILATION',
  });
}

/** The session parameters every result carries (the SDK reads TIMEZONE and output formats from them). */
export function sessionParameters(session: EmulatorSession) {
  return [
    { name: 'TIMEZONE', value: session.timezone },
    { name: 'QUERY_TAG', value: session.queryTag },
    { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
    { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
    { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
    { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  ];
}

/** Where a result's chunks are served from, and how big they are. */
export interface ChunkPlan {
  baseUrl: string;
  /** Rows sent inline in the query response. */
  inlineRows: number;
  /** Rows per downloadable chunk. */
  chunkRows: number;
  /** Header the driver must send back with each chunk download (as Snowflake's chunkHeaders / qrmk). */
  chunkKey: string;
}

/**
 * A result in the query-request envelope: the first `inlineRows` rows inline in `rowset`, the
 * rest split into `chunks` (URL, rowCount, sizes) that `store` keeps for GET /chunks/….
 */
export function rowsResponse(
  session: EmulatorSession,
  result: SnowflakeRows,
  plan: ChunkPlan,
  store: (queryId: string, chunks: string[]) => void,
) {
  const queryId = randomUUID();
  const inline = result.rows.slice(0, plan.inlineRows);
  const rest = result.rows.slice(plan.inlineRows);
  const chunks: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
  const bodies: string[] = [];
  for (let start = 0; start < rest.length; start += plan.chunkRows) {
    const rows = rest.slice(start, start + plan.chunkRows);
    // A chunk is the rows' JSON without the enclosing brackets: `[..],[..]`.
    const body = rows.map((row) => JSON.stringify(row)).join(',');
    bodies.push(body);
    chunks.push({
      url: `${plan.baseUrl}/chunks/${queryId}/${chunks.length}`,
      rowCount: rows.length,
      uncompressedSize: Buffer.byteLength(body),
      compressedSize: Buffer.byteLength(body),
    });
  }
  if (bodies.length > 0) store(queryId, bodies);
  return success({
    parameters: sessionParameters(session),
    rowtype: result.rowtype,
    rowset: inline,
    total: result.rows.length,
    returned: result.rows.length,
    queryId,
    databaseProvider: null,
    finalDatabaseName: 'WEFT',
    finalSchemaName: 'PUBLIC',
    finalWarehouseName: 'EMULATOR_WH',
    finalRoleName: 'PUBLIC',
    numberOfBinds: 0,
    arrayBindSupported: false,
    statementTypeId: 4096,
    version: 1,
    sendResultTime: Date.now(),
    queryResultFormat: 'json',
    ...(chunks.length > 0 ? { chunks, chunkHeaders: { 'x-emulator-chunk-key': plan.chunkKey } } : {}),
  });
}
