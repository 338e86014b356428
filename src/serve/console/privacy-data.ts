/**
 * The profile page's privacy buttons (editors): the export `weft privacy export` writes, and an
 * erasure request exactly as `weft privacy delete` files and runs it (suppress now, then erase in
 * every destination that received the person), answered with the request's per-destination status.
 */
import type { Project } from '../../config/types.js';
import { exportPerson } from '../../privacy/export.js';
import { createErasureRequests, runPendingSteps } from '../../privacy/requests.js';
import { privacyStatus, type RequestStatusView } from '../../privacy/status.js';
import { SubjectError } from '../../privacy/subject.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { openWarehouse } from '../../warehouse/registry.js';
import type { Warehouse } from '../../warehouse/types.js';
import { ConsoleError } from './context.js';
import { searchQuery } from './profile-data.js';

/** The `type:value` (or profile id) a search text names, or a 404. */
async function subject(project: Project, warehouse: Warehouse, text: unknown): Promise<string> {
  if (typeof text !== 'string' || text.trim() === '')
    throw new ConsoleError(400, 'body.query: the person to export or erase (an identifier or a profile id)');
  const query = await searchQuery(project, warehouse, text);
  if (!query) throw new ConsoleError(404, `no profile found for '${text.trim()}'`);
  return query;
}

/** Everything weft holds or sent about the person, as `weft privacy export --out` writes it. */
export async function privacyExport(project: Project, warehouse: Warehouse, text: unknown): Promise<unknown> {
  const query = await subject(project, warehouse, text);
  const data = await exportPerson(project, warehouse, query).catch(asConsoleError);
  return jsonValue(data);
}

/**
 * Files an erasure request for the person and works the ledger once (as `weft privacy delete`
 * without --queue-only); answers the request with its steps, one per system.
 */
export async function privacyErase(
  project: Project,
  warehouse: Warehouse,
  text: unknown,
): Promise<RequestStatusView> {
  const query = await subject(project, warehouse, text);
  const [filed] = await createErasureRequests(project, warehouse, [[query]]).catch(asConsoleError);
  if (!filed) throw new ConsoleError(500, 'no request was filed');
  await runPendingSteps(project, warehouse, {
    openWarehouse: () => openWarehouse(project.config.warehouse, { projectDir: project.dir }),
  });
  return privacyRequest(project, warehouse, filed.request_id);
}

/** One request with its steps (`weft privacy status <id>`). */
export async function privacyRequest(
  project: Project,
  warehouse: Warehouse,
  requestId: string,
): Promise<RequestStatusView> {
  const [view] = await privacyStatus(warehouse, project.config.state_schema, {
    requestId,
    now: new Date(),
    warnDays: project.config.privacy?.warn_days ?? 7,
  });
  if (!view) throw new ConsoleError(404, `no privacy request '${requestId}'`);
  return view;
}

function asConsoleError(error: unknown): never {
  throw error instanceof SubjectError ? new ConsoleError(400, error.message) : error;
}
