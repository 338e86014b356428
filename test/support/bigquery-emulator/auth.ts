/**
 * OAuth for the local BigQuery endpoint: a service-account key made with node:crypto, the token
 * endpoint (JWT bearer grant, RS256 assertion checked against the key's public half) and the
 * Bearer check every API call goes through.
 */
import { createVerify, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { ApiFailure } from './http.js';

/** The JWT bearer grant type Google's token endpoint accepts. */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

/** A service-account key in the JSON shape Google issues. */
export interface ServiceAccountKeyJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
}

/** A fresh RSA key pair as PEM text (for a key the emulator trusts, or a wrong one). */
export function newKeyPair(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/** A token-endpoint refusal: OAuth's `{error, error_description}` body. */
export class TokenRefusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

function base64UrlJson(part: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new TokenRefusal('invalid_grant', 'Invalid JWT: malformed.');
  }
}

/** Issues and checks access tokens for one service account. */
export class TokenAuthority {
  readonly key: ServiceAccountKeyJson;
  private readonly publicKey: KeyObject;
  private readonly tokens = new Map<string, number>();

  constructor(projectId: string, tokenUri: string) {
    const { privateKey, publicKey } = newKeyPair();
    this.publicKey = publicKey;
    this.key = {
      type: 'service_account',
      project_id: projectId,
      private_key_id: randomBytes(20).toString('hex'),
      private_key: privateKey,
      client_email: `weft-test@${projectId}.iam.gserviceaccount.com`,
      client_id: String(100000000000000000000n + BigInt(Date.now())),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUri,
    };
  }

  /** Handles a token request body (form encoded); returns the token response or throws TokenRefusal. */
  grant(form: URLSearchParams): { access_token: string; expires_in: number; token_type: 'Bearer' } {
    if (form.get('grant_type') !== JWT_BEARER) {
      throw new TokenRefusal('unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
    }
    const assertion = form.get('assertion') ?? '';
    const [header, claims, signature] = assertion.split('.');
    const head = base64UrlJson(header);
    const body = base64UrlJson(claims);
    if (head.alg !== 'RS256') throw new TokenRefusal('invalid_grant', 'Invalid JWT: unsupported algorithm.');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${claims}`);
    if (!signature || !verifier.verify(this.publicKey, Buffer.from(signature, 'base64url'))) {
      throw new TokenRefusal('invalid_grant', 'Invalid JWT Signature.');
    }
    if (body.iss !== this.key.client_email)
      throw new TokenRefusal('invalid_grant', 'Invalid email or User ID');
    const now = Math.floor(Date.now() / 1000);
    if (typeof body.exp !== 'number' || body.exp < now) {
      throw new TokenRefusal(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
    }
    const scopes = String(body.scope ?? '').split(' ');
    if (!scopes.includes(BIGQUERY_SCOPE))
      throw new TokenRefusal('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const token = `ya29.emulator-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, Date.now() + 3600_000);
    return { access_token: token, expires_in: 3599, token_type: 'Bearer' };
  }

  /** Checks an API call's Authorization header; throws Google's 401 when missing or unknown. */
  check(authorization: string | undefined): void {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const expiry = token ? this.tokens.get(token) : undefined;
    if (!expiry || expiry < Date.now()) {
      throw new ApiFailure(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    }
  }

  /** Forgets every token issued (tests: a revoked token). */
  revokeAll(): void {
    this.tokens.clear();
  }
}
