/**
 * Calls the Salesforce REST API of the connection's instance: bearer token from the session
 * cache, the daily-usage reserve checked before sending and `Sforce-Limit-Info` read from every
 * answer, one token refresh and retry on 401 INVALID_SESSION_ID, errors classified by refineError.
 */
import type { DestinationContext, HttpRequest, HttpResponse } from '../../src/destination-kit/index.js';
import { dropSession, getSession } from './auth.js';
import { firstApiError } from './errors.js';
import type { SalesforceSettings } from './settings.js';
import { checkReserve, observeUsage } from './usage.js';

/** A context with Salesforce settings. */
export type SalesforceContext = DestinationContext<SalesforceSettings>;

/** The account budget key: the login URL and connected app (never a secret). */
export function accountOf(settings: SalesforceSettings): string {
  return `${settings.base_url.replace(/\/+$/, '')}|${settings.client_id}`;
}

/** `/services/data/vNN.0` + `path`. */
export function dataPath(ctx: SalesforceContext, path: string): string {
  return `/services/data/${ctx.settings.api_version}${path}`;
}

/**
 * Sends `request` (its `path` relative to the instance, e.g. from dataPath) and returns the 2xx
 * answer; any other answer throws the classified DestinationError. Refused before sending while
 * the org's API usage is within the reserve (usage.ts), unless it is a `probe`.
 */
export async function sfSend(
  ctx: SalesforceContext,
  request: HttpRequest,
  options: { probe?: boolean } = {},
): Promise<HttpResponse> {
  // A probe (describe, once per run) is sent even within the reserve: its answer refreshes the reading.
  if (!options.probe) checkReserve(accountOf(ctx.settings), ctx.settings.quota_reserve_pct);
  let session = await getSession(ctx);
  let response = await sendWith(ctx, request, session.accessToken, session.instanceUrl);
  if (response.status === 401 && firstApiError(response.text)?.errorCode === 'INVALID_SESSION_ID') {
    ctx.logger.info('salesforce session expired: fetching a new token');
    await dropSession(ctx, session);
    session = await getSession(ctx);
    response = await sendWith(ctx, request, session.accessToken, session.instanceUrl);
  }
  const error = ctx.http.classify(response);
  if (error) throw error;
  return response;
}

async function sendWith(
  ctx: SalesforceContext,
  request: HttpRequest,
  token: string,
  instanceUrl: string,
): Promise<HttpResponse> {
  const response = await ctx.http.request({
    timeoutMs: ctx.settings.timeout_ms,
    ...request,
    path: `${instanceUrl}${request.path}`,
    headers: { ...request.headers, authorization: `Bearer ${token}` },
  });
  observeUsage(accountOf(ctx.settings), response.headers, ctx.logger);
  return response;
}

/** sfSend, the answer parsed as JSON. */
export async function sfJson<T>(
  ctx: SalesforceContext,
  request: HttpRequest,
  options: { probe?: boolean } = {},
): Promise<T> {
  return (await sfSend(ctx, request, options)).json<T>() as T;
}

/** The sObject a sync writes: its `object`, else the connection's default. */
export function sObjectOf(ctx: SalesforceContext): string {
  return ctx.object ?? ctx.settings.object;
}

/** The external id field the sync key upserts by: the sync's `match_on`, else the connection's. */
export function externalIdOf(ctx: SalesforceContext): string {
  return ctx.matchOn ?? ctx.settings.external_id_field;
}
