/**
 * Access and portability requests filed through the inbound API: the request row (kind `access`
 * or `portability`) and one step, `weft:export`, worked by `runPendingSteps` like any other. The
 * person's identifiers wait for that step in `target/privacy/requests/<id>.json` (mode 0600, on
 * the machine that filed it); the export (`weft privacy export` for each identifier) is written to
 * `target/privacy/exports/<id>.json` and kept `privacy.api.export_retention_days`.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Project } from '../config/types.js';
import type { Warehouse } from '../warehouse/types.js';
import { dueDate, type Regulation } from './deadlines.js';
import { exportPerson, type PersonExport } from './export.js';
import { appendNewSteps, updateSteps } from './ledger.js';
import { SubjectError } from './subject.js';
import type { PrivacyTables } from './tables.js';

/** The step of an access/portability request. */
export const EXPORT_STEP = 'weft:export';

/** Where access requests wait and exports are kept. */
export function privacyDir(project: Project, what: 'requests' | 'exports'): string {
  return path.join(project.dir, 'target', 'privacy', what);
}

/** The export file of a completed access request. */
export function exportFile(project: Project, requestId: string): string {
  return path.join(privacyDir(project, 'exports'), `${requestId}.json`);
}

/** What an access request's export holds. */
export interface AccessExport {
  request_id: string;
  kind: string;
  exported_at: string;
  /** One export per identifier the request named. */
  exports: PersonExport[];
}

/** Writes `data` to `file` atomically, readable by the owner only. */
function writePrivate(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Files an access or portability request `requestId` for the person named by `identities`
 * (`type:value` texts): their file, the request row and its `weft:export` step (pending).
 */
export async function fileAccessRequest(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  request: {
    requestId: string;
    kind: 'access' | 'portability';
    regulation: Regulation;
    identities: string[];
    now: Date;
    submittedAt: Date;
  },
): Promise<{ due_at: Date }> {
  const d = warehouse.dialect;
  const due = dueDate(project.config.privacy, request.regulation, request.submittedAt);
  writePrivate(path.join(privacyDir(project, 'requests'), `${request.requestId}.json`), {
    identities: request.identities,
  });
  const values = [
    request.requestId,
    request.kind,
    request.regulation,
    'open',
    request.now,
    due,
    request.identities.length,
    false,
  ];
  await warehouse.execute(
    d.insertSelect(
      tables.requests,
      ['request_id', 'kind', 'regulation', 'status', 'received_at', 'due_at', 'identifiers', 'profile_found'],
      `SELECT ${values.map((v) => d.literal(v)).join(', ')}`,
    ),
  );
  await appendNewSteps(
    warehouse,
    tables,
    [
      {
        requestId: request.requestId,
        step: EXPORT_STEP,
        system: 'weft',
        destination: 'warehouse',
        action: `export_${request.kind}`,
        status: 'pending',
        records: 0,
      },
    ],
    request.now,
  );
  return { due_at: due };
}

/** Works the `weft:export` steps of `requestIds`: one export file each, then the ledger. */
export async function runExports(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  requestIds: string[],
  clock: () => Date,
): Promise<void> {
  for (const requestId of requestIds) {
    const pendingFile = path.join(privacyDir(project, 'requests'), `${requestId}.json`);
    if (!existsSync(pendingFile)) {
      await updateSteps(
        warehouse,
        tables,
        EXPORT_STEP,
        [requestId],
        {
          status: 'pending',
          lastError: `the request's identifiers are not in ${path.relative(project.dir, privacyDir(project, 'requests'))} on this machine: run \`weft privacy run\` where weft serve received it`,
        },
        clock(),
      );
      continue;
    }
    try {
      const { identities } = JSON.parse(readFileSync(pendingFile, 'utf8')) as { identities: string[] };
      const [row] = await warehouse.query(
        `SELECT kind FROM ${warehouse.dialect.qualify(tables.requests)} WHERE request_id = ${warehouse.dialect.literal(requestId)}`,
      );
      const exports: PersonExport[] = [];
      for (const text of identities) exports.push(await exportPerson(project, warehouse, text));
      const data: AccessExport = {
        request_id: requestId,
        kind: String(row?.kind ?? 'access'),
        exported_at: clock().toISOString(),
        exports,
      };
      writePrivate(exportFile(project, requestId), data);
      await updateSteps(
        warehouse,
        tables,
        EXPORT_STEP,
        [requestId],
        { status: 'acknowledged', records: exports.length },
        clock(),
      );
      rmSync(pendingFile, { force: true });
    } catch (error) {
      // The message of a failed export may quote the identifier (a SQL error): keep only its kind.
      const kind = error instanceof Error ? error.name : 'Error';
      const outcome =
        error instanceof SubjectError
          ? { status: 'failed' as const, lastError: error.message }
          : { status: 'pending' as const, lastError: `the export failed (${kind}); retried on the next run` };
      await updateSteps(warehouse, tables, EXPORT_STEP, [requestId], outcome, clock());
    }
  }
}

/**
 * Deletes exports older than `retentionDays`, and waiting identifier files whose export is
 * written (a crash between the two). Returns how many files it removed.
 */
export function pruneExports(project: Project, retentionDays: number, now: Date): number {
  let removed = 0;
  const exportsDir = privacyDir(project, 'exports');
  const requestsDir = privacyDir(project, 'requests');
  if (existsSync(exportsDir)) {
    for (const name of readdirSync(exportsDir)) {
      const file = path.join(exportsDir, name);
      if (now.getTime() - statSync(file).mtimeMs > retentionDays * 86_400_000) {
        rmSync(file, { force: true });
        removed++;
      }
    }
  }
  if (existsSync(requestsDir)) {
    for (const name of readdirSync(requestsDir)) {
      if (existsSync(path.join(exportsDir, name))) {
        rmSync(path.join(requestsDir, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
