/**
 * The emulated OAuth server: `POST /services/oauth2/token` for the client_credentials and
 * refresh_token grants, bearer tokens that expire after N API calls or on demand (so tests can
 * force INVALID_SESSION_ID mid-run), and the grants issued so far.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse } from '../../../src/sandbox/types.js';

/** Credentials the emulated org accepts. */
export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** A token stops working after this many API calls (0: never). */
  tokenTtlCalls: number;
}

/** One issued token. */
interface Token {
  calls: number;
  expired: boolean;
}

/** One grant, as kept in the state. */
export interface Grant {
  grant_type: string;
  at: string;
}

/** Token issuance and checking. */
export class OAuthServer {
  private tokens = new Map<string, Token>();
  grants: Grant[] = [];

  constructor(private readonly options: OAuthOptions) {}

  /** Answers a token request; `instanceUrl` is where the API lives (the emulator itself). */
  token(request: EmulatorRequest, instanceUrl: string): EmulatorResponse {
    const form = new URLSearchParams(request.text());
    const grant = form.get('grant_type') ?? '';
    const refuse = (error: string, description: string): EmulatorResponse => ({
      status: 400,
      body: { error, error_description: description },
    });
    if (grant !== 'client_credentials' && grant !== 'refresh_token') {
      return refuse('unsupported_grant_type', 'grant type not supported');
    }
    if (form.get('client_id') !== this.options.clientId)
      return refuse('invalid_client_id', 'client identifier invalid');
    if (form.get('client_secret') !== this.options.clientSecret)
      return refuse('invalid_client', 'invalid client credentials');
    if (grant === 'refresh_token' && form.get('refresh_token') !== this.options.refreshToken) {
      return refuse('invalid_grant', 'expired access/refresh token');
    }
    const accessToken = `00D000000000001!${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, { calls: 0, expired: false });
    const issuedAt = String(Date.now());
    this.grants.push({ grant_type: grant, at: new Date().toISOString() });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        instance_url: instanceUrl,
        id: `${instanceUrl}/id/00D000000000001AAA/005000000000001AAA`,
        token_type: 'Bearer',
        issued_at: issuedAt,
        signature: randomBytes(32).toString('base64'),
        scope: 'api',
      },
    };
  }

  /** Counts an API call with the request's bearer token; false when the token is missing, unknown or expired. */
  authorize(request: EmulatorRequest): boolean {
    const header = request.headers.authorization;
    const value = (Array.isArray(header) ? header[0] : header) ?? '';
    const token = this.tokens.get(value.replace(/^Bearer\s+/i, ''));
    if (!token || token.expired) return false;
    token.calls++;
    if (this.options.tokenTtlCalls > 0 && token.calls > this.options.tokenTtlCalls) token.expired = true;
    return !token.expired;
  }

  /** Expires every token issued so far (the next call with one gets 401 INVALID_SESSION_ID). */
  expireAll(): number {
    for (const token of this.tokens.values()) token.expired = true;
    return this.tokens.size;
  }

  reset(): void {
    this.tokens = new Map();
    this.grants = [];
  }
}
