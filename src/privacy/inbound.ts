/**
 * Requests received through the inbound OpenDSR API (`weft serve`): `privacy_api_requests` maps
 * the controller's `subject_request_id` to weft's request (one ledger for the CLI and the API),
 * keeps the callback URLs and the last status each was told. Filing is idempotent per
 * `subject_request_id`: a controller retrying a POST gets the same request, never a second one.
 */
import type { Project } from '../config/types.js';
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';
import { fileAccessRequest } from './access.js';
import type { OpenDsrRequest } from './opendsr.js';
import { createErasureRequests, newRequestId } from './requests.js';
import { ensurePrivacyTables, type PrivacyTables, privacyTables } from './tables.js';

/** OpenDSR request statuses. */
export type OpenDsrStatus = 'pending' | 'in_progress' | 'completed' | 'cancelled';

const COLUMNS: ColumnDef[] = [
  { name: 'subject_request_id', type: 'string' },
  { name: 'request_id', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'api_version', type: 'string' },
  { name: 'callback_urls', type: 'string' },
  { name: 'received_at', type: 'timestamp' },
  { name: 'notified_status', type: 'string' },
  { name: 'notify_attempts', type: 'bigint' },
];

/** The inbound table of a state schema. */
export function inboundTable(stateSchema: string): RelationRef {
  return { schema: stateSchema, name: 'privacy_api_requests' };
}

/** Creates the privacy tables and the inbound table when missing. */
export async function ensureInboundTables(
  warehouse: Warehouse,
  stateSchema: string,
): Promise<PrivacyTables & { inbound: RelationRef }> {
  const tables = await ensurePrivacyTables(warehouse, stateSchema);
  const inbound = inboundTable(stateSchema);
  await warehouse.execute(
    warehouse.dialect.createTable(inbound, COLUMNS, { primaryKey: ['subject_request_id'] }),
  );
  return { ...tables, inbound };
}

/** One inbound request as the API reports it. */
export interface InboundView {
  subject_request_id: string;
  request_id: string;
  kind: string;
  api_version: string;
  callback_urls: string[];
  received_at: Date;
  due_at: Date;
  /** weft's status: open, completed, completed_with_exceptions. */
  weft_status: string;
  request_status: OpenDsrStatus;
  notified_status: string | null;
  notify_attempts: number;
}

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));

/** Inbound requests joined with the ledger: one (`subjectRequestId`), or all with `where`. */
export async function inboundViews(
  warehouse: Warehouse,
  stateSchema: string,
  filter: { subjectRequestId?: string; unnotified?: boolean },
): Promise<InboundView[]> {
  const d = warehouse.dialect;
  const t = privacyTables(stateSchema);
  const inbound = inboundTable(stateSchema);
  const where = filter.subjectRequestId
    ? `WHERE a.subject_request_id = ${d.literal(filter.subjectRequestId)}`
    : "WHERE a.callback_urls <> '[]'";
  const rows = await warehouse.query(`SELECT a.subject_request_id, a.request_id, a.kind, a.api_version,
  a.callback_urls, a.received_at, a.notified_status, a.notify_attempts, r.status, r.due_at,
  (SELECT count(*) FROM ${d.qualify(t.steps)} AS s WHERE s.request_id = a.request_id AND s.attempts > 0) AS attempted
FROM ${d.qualify(inbound)} AS a JOIN ${d.qualify(t.requests)} AS r ON r.request_id = a.request_id
${where} ORDER BY a.received_at, a.subject_request_id`);
  const views = rows.map((row): InboundView => {
    const weft = String(row.status);
    const status: OpenDsrStatus =
      weft === 'open' ? (Number(row.attempted) > 0 ? 'in_progress' : 'pending') : 'completed';
    return {
      subject_request_id: String(row.subject_request_id),
      request_id: String(row.request_id),
      kind: String(row.kind),
      api_version: String(row.api_version),
      callback_urls: JSON.parse(String(row.callback_urls)) as string[],
      received_at: toDate(row.received_at),
      due_at: toDate(row.due_at),
      weft_status: weft,
      request_status: status,
      notified_status: row.notified_status === null ? null : String(row.notified_status),
      notify_attempts: Number(row.notify_attempts ?? 0),
    };
  });
  return filter.unnotified ? views.filter((v) => v.request_status !== v.notified_status) : views;
}

/**
 * Files `request` (erasure: suppressed at once, steps planned; access/portability: an export
 * step), unless its subject_request_id was filed before. Returns its view and whether it is new.
 */
export async function fileInbound(
  project: Project,
  warehouse: Warehouse,
  request: OpenDsrRequest,
  now: Date,
): Promise<{ view: InboundView; created: boolean }> {
  const d = warehouse.dialect;
  const stateSchema = project.config.state_schema;
  const tables = await ensureInboundTables(warehouse, stateSchema);
  const [known] = await warehouse.query(
    `SELECT request_id FROM ${d.qualify(tables.inbound)} WHERE subject_request_id = ${d.literal(request.subjectRequestId)}`,
  );
  const requestId = known ? String(known.request_id) : newRequestId();
  if (!known) {
    // The mapping first: a crash before the request row is finished by the controller's retry.
    const values = [
      request.subjectRequestId,
      requestId,
      request.type,
      request.apiVersion,
      JSON.stringify(request.callbackUrls),
      now,
      null,
      0,
    ];
    await warehouse.execute(
      d.insertSelect(
        tables.inbound,
        COLUMNS.map((c) => c.name),
        `SELECT ${values.map((v, i) => d.cast(d.literal(v), COLUMNS[i]?.type ?? 'string')).join(', ')}`,
      ),
    );
  }
  const [filed] = await warehouse.query(
    `SELECT request_id FROM ${d.qualify(tables.requests)} WHERE request_id = ${d.literal(requestId)}`,
  );
  if (!filed) {
    if (request.type === 'erasure') {
      await createErasureRequests(project, warehouse, [request.identities], {
        regulation: request.regulation,
        newId: () => requestId,
        now: () => now,
        submittedAt: request.submittedTime,
      });
    } else {
      await fileAccessRequest(project, warehouse, tables, {
        requestId,
        kind: request.type,
        regulation: request.regulation,
        identities: request.identities,
        now,
        submittedAt: request.submittedTime,
      });
    }
  }
  const [view] = await inboundViews(warehouse, stateSchema, { subjectRequestId: request.subjectRequestId });
  if (!view) throw new Error(`request ${request.subjectRequestId} was filed but is not in the ledger`);
  return { view, created: !known };
}

/** Records a callback round for `subjectRequestId`: told `status` (delivered) or one more failed attempt. */
export async function recordNotified(
  warehouse: Warehouse,
  stateSchema: string,
  subjectRequestId: string,
  outcome: { delivered: true; status: OpenDsrStatus } | { delivered: false },
): Promise<void> {
  const d = warehouse.dialect;
  const sets = outcome.delivered
    ? `notified_status = ${d.literal(outcome.status)}, notify_attempts = 0`
    : 'notify_attempts = notify_attempts + 1';
  await warehouse.execute(
    `UPDATE ${d.qualify(inboundTable(stateSchema))} SET ${sets} WHERE subject_request_id = ${d.literal(subjectRequestId)}`,
  );
}
