/**
 * The inbound OpenDSR API of `weft serve` (admin key only; docs/privacy.md):
 * `POST /v1/privacy/requests` files an erasure, access or portability request into the ledger
 * `weft privacy` uses (201 with the OpenDSR receipt), `GET /v1/privacy/requests/{subject_request_id}`
 * answers its status, `GET …/{id}/export` the export of a completed access/portability request.
 * Errors name the field, never an identifier; answers are signed like callbacks when
 * `privacy.api.callback_secret` is set.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import { exportFile } from '../privacy/access.js';
import { signBody, statusBody } from '../privacy/callbacks.js';
import { fileInbound, inboundTable, inboundViews } from '../privacy/inbound.js';
import { OpenDsrValidationError, parseOpenDsrRequest } from '../privacy/opendsr.js';
import { privacyStatus } from '../privacy/status.js';
import { SubjectError } from '../privacy/subject.js';
import { withWarehouse } from '../warehouse/shared-access.js';
import { BodyError, readBody } from './body.js';
import type { ExtraRoute } from './profile-api.js';
import { sendError } from './respond.js';
import { secretKeyAllows } from './secret-key.js';

/** The collection route. */
export const PRIVACY_REQUESTS_ROUTE = '/v1/privacy/requests';
/** Largest request body. */
const BODY_LIMIT = 64 * 1024;
const NO_STORE = { 'cache-control': 'no-store' };

/** What the privacy routes need. */
export interface PrivacyRouteDeps {
  project: Project;
  /** Asks the background runner for a pass (a new request arrived). */
  kick: () => void;
  /** The server's base URL. */
  baseUrl: () => string;
  say: (line: string) => void;
  now?: () => Date;
}

/** The privacy API as a route module of the server. */
export function privacyRoutes(deps: PrivacyRouteDeps): ExtraRoute {
  return {
    matches: (route) => route === PRIVACY_REQUESTS_ROUTE || route.startsWith(`${PRIVACY_REQUESTS_ROUTE}/`),
    metricRoute: PRIVACY_REQUESTS_ROUTE,
    handle: (request, response, _url, route) => handlePrivacy(request, response, route, deps),
  };
}

/** JSON, signed with the callback secret when one is set. */
function sendSigned(deps: PrivacyRouteDeps, response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const secret = deps.project.config.privacy?.api?.callback_secret;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...NO_STORE,
    ...(secret ? { 'x-opendsr-signature': signBody(secret, text) } : {}),
  });
  response.end(text);
}

async function handlePrivacy(
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
  deps: PrivacyRouteDeps,
): Promise<void> {
  const admin = deps.project.config.serve?.admin_key;
  if (!admin)
    return sendError(response, 403, 'the privacy API is off: set serve.admin_key in weft.yml', NO_STORE);
  if (!secretKeyAllows(request, [admin]))
    return sendError(response, 401, 'the privacy API needs the serve.admin_key as a Bearer token', {
      ...NO_STORE,
      'www-authenticate': 'Bearer realm="weft"',
    });
  const rest = route.slice(PRIVACY_REQUESTS_ROUTE.length).split('/').filter(Boolean);
  try {
    if (rest.length === 0) {
      if (request.method !== 'POST')
        return sendError(response, 405, `${PRIVACY_REQUESTS_ROUTE} takes POST`, { allow: 'POST' });
      return await create(request, response, deps);
    }
    if (request.method !== 'GET' || rest.length > 2 || (rest.length === 2 && rest[1] !== 'export'))
      return sendError(response, 405, `${PRIVACY_REQUESTS_ROUTE}/{id} takes GET (and …/{id}/export)`, {
        allow: 'GET',
      });
    return await status(response, rest[0] as string, rest.length === 2, deps);
  } catch (error) {
    // Never the message: a warehouse error's SQL may quote an identifier.
    const kind = error instanceof Error ? error.name : 'Error';
    deps.say(`privacy API: ${request.method} ${PRIVACY_REQUESTS_ROUTE} failed (${kind})`);
    if (!response.headersSent)
      sendError(response, 500, `the privacy request could not be handled (${kind}): retry`, NO_STORE);
  }
}

async function create(
  request: IncomingMessage,
  response: ServerResponse,
  deps: PrivacyRouteDeps,
): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(request, BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyError) return sendError(response, error.status, error.message, NO_STORE);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(response, 400, 'body: is not valid JSON', NO_STORE);
  }
  let parsed: ReturnType<typeof parseOpenDsrRequest>;
  try {
    parsed = parseOpenDsrRequest(deps.project, body);
  } catch (error) {
    if (error instanceof OpenDsrValidationError) return sendError(response, 400, error.message, NO_STORE);
    throw error;
  }
  const now = (deps.now ?? (() => new Date()))();
  let filed: Awaited<ReturnType<typeof fileInbound>>;
  try {
    filed = await withWarehouse(deps.project, (warehouse) =>
      fileInbound(deps.project, warehouse, parsed, now),
    );
  } catch (error) {
    if (error instanceof SubjectError)
      return sendError(response, 400, `subject_identities: ${error.message}`, NO_STORE);
    throw error;
  }
  if (filed.created) deps.kick();
  sendSigned(deps, response, 201, {
    ...statusBody(deps.project, filed.view),
    received_time: filed.view.received_at.toISOString(),
    encoded_request: raw.toString('base64'),
    weft_request_id: filed.view.request_id,
  });
}

async function status(
  response: ServerResponse,
  id: string,
  wantsExport: boolean,
  deps: PrivacyRouteDeps,
): Promise<void> {
  const schema = deps.project.config.state_schema;
  const found = await withWarehouse(deps.project, async (warehouse) => {
    if (!(await relationKind(warehouse, inboundTable(schema)))) return undefined;
    const [view] = await inboundViews(warehouse, schema, { subjectRequestId: id });
    if (!view) return undefined;
    const [ledger] = await privacyStatus(warehouse, schema, {
      requestId: view.request_id,
      now: (deps.now ?? (() => new Date()))(),
      warnDays: deps.project.config.privacy?.warn_days ?? 7,
    });
    return { view, ledger };
  });
  if (!found)
    return sendError(response, 404, `no privacy request with subject_request_id ${safeId(id)}`, NO_STORE);
  const { view, ledger } = found;
  if (!wantsExport)
    return sendSigned(deps, response, 200, {
      ...statusBody(deps.project, view, deps.baseUrl()),
      weft: ledger,
    });
  if (view.kind === 'erasure') return sendError(response, 404, 'an erasure request has no export', NO_STORE);
  if (view.request_status !== 'completed')
    return sendError(
      response,
      409,
      `the export is not ready: the request is ${view.request_status}`,
      NO_STORE,
    );
  let text: string;
  try {
    text = readFileSync(exportFile(deps.project, view.request_id), 'utf8');
  } catch {
    return sendError(
      response,
      410,
      'the export is no longer kept (privacy.api.export_retention_days)',
      NO_STORE,
    );
  }
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'content-disposition': `attachment; filename="${view.request_id}.json"`,
    ...NO_STORE,
  });
  response.end(text);
}

/** A request id as echoed in errors: UUID characters only. */
function safeId(id: string): string {
  return /^[0-9a-f-]{1,36}$/i.test(id) ? id : '(malformed)';
}
