/**
 * OAuth for Salesforce: a token from `POST {base_url}/services/oauth2/token` (client credentials
 * or refresh token), cached per connection so concurrent batches share one fetch. Salesforce
 * gives no expiry: a 401 INVALID_SESSION_ID makes the caller drop the token and fetch another.
 */
import { createHash } from 'node:crypto';
import { type DestinationContext, DestinationError } from '../../src/destination-kit/index.js';
import type { SalesforceSettings } from './settings.js';

/** An access token and the instance it is valid for. */
export interface Session {
  accessToken: string;
  /** e.g. https://acme.my.salesforce.com (no trailing slash). */
  instanceUrl: string;
}

const sessions = new Map<string, Promise<Session>>();

/**
 * Cache key: the non-secret settings plus a digest of the credentials, so rotated credentials
 * get a fresh token and two users of one connected app never share one.
 */
function cacheKey(settings: SalesforceSettings): string {
  const digest = createHash('sha256')
    .update(`${settings.client_secret}\0${settings.refresh_token ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return `${settings.base_url}|${settings.client_id}|${settings.auth}|${digest}`;
}

/** The cached session, or a new one (one fetch at a time per connection). */
export function getSession(ctx: DestinationContext<SalesforceSettings>): Promise<Session> {
  const key = cacheKey(ctx.settings);
  let session = sessions.get(key);
  if (!session) {
    session = fetchToken(ctx);
    sessions.set(key, session);
    // A failed fetch is not cached: the next call tries again.
    session.catch(() => {
      if (sessions.get(key) === session) sessions.delete(key);
    });
  }
  return session;
}

/** Forgets `stale` (the token Salesforce refused), unless another call already replaced it. */
export async function dropSession(
  ctx: DestinationContext<SalesforceSettings>,
  stale: Session,
): Promise<void> {
  const key = cacheKey(ctx.settings);
  const current = sessions.get(key);
  if (!current) return;
  const held = await current.catch(() => undefined);
  if (held === undefined || held.accessToken === stale.accessToken) {
    if (sessions.get(key) === current) sessions.delete(key);
  }
}

interface TokenAnswer {
  access_token?: string;
  instance_url?: string;
  error?: string;
  error_description?: string;
}

async function fetchToken(ctx: DestinationContext<SalesforceSettings>): Promise<Session> {
  const { settings } = ctx;
  const form = new URLSearchParams({
    grant_type: settings.auth,
    client_id: settings.client_id,
    client_secret: settings.client_secret,
  });
  if (settings.auth === 'refresh_token') form.set('refresh_token', settings.refresh_token ?? '');
  const url = new URL('/services/oauth2/token', settings.base_url).toString();
  const response = await ctx.http.request({
    method: 'POST',
    path: url,
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    timeoutMs: settings.timeout_ms,
  });
  const answer = response.json<TokenAnswer>() ?? {};
  // The token endpoint answers 400 invalid_grant / invalid_client for bad credentials: not a bad record.
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    const why =
      [answer.error, answer.error_description].filter(Boolean).join(': ') || `HTTP ${response.status}`;
    throw new DestinationError('auth', `Salesforce OAuth (${settings.auth}) refused: ${why}`, {
      status: response.status,
      ...(answer.error !== undefined && { code: answer.error }),
    });
  }
  const error = ctx.http.classify(response);
  if (error) throw error;
  if (!answer.access_token || !answer.instance_url) {
    throw new DestinationError('auth', 'Salesforce OAuth answered without access_token/instance_url');
  }
  ctx.logger.debug('salesforce token', { instance_url: answer.instance_url, grant: settings.auth });
  return { accessToken: answer.access_token, instanceUrl: answer.instance_url.replace(/\/+$/, '') };
}
