import { createVerify } from 'node:crypto';
import { publicKeyFingerprint } from './keys.js';

/** A user the emulator accepts: a password and/or registered public keys (PEM). */
export interface EmulatorUser {
  name: string;
  password?: string;
  publicKeys: string[];
}

/** Snowflake's answer to a refused login: its GS error code and message. */
export interface LoginRefusal {
  code: string;
  message: string;
}

const WRONG_PASSWORD: LoginRefusal = {
  code: '390100',
  message: 'Incorrect username or password was specified.',
};
const BAD_JWT: LoginRefusal = { code: '390144', message: 'JWT token is invalid.' };

interface LoginData {
  ACCOUNT_NAME?: string;
  LOGIN_NAME?: string;
  PASSWORD?: string;
  AUTHENTICATOR?: string;
  TOKEN?: string;
}

/**
 * Checks a login-request body as Snowflake does: password auth compares the password; key-pair
 * auth (AUTHENTICATOR SNOWFLAKE_JWT) verifies the JWT's RS256 signature against the user's
 * registered public keys, its issuer `ACCOUNT.USER.SHA256:fingerprint` (upper-case account and
 * user, fingerprint of that key), subject `ACCOUNT.USER` and expiry.
 */
export function checkLogin(
  data: LoginData,
  account: string,
  users: EmulatorUser[],
): EmulatorUser | LoginRefusal {
  const login = String(data.LOGIN_NAME ?? '');
  const user = users.find((candidate) => candidate.name.toUpperCase() === login.toUpperCase());
  if (String(data.ACCOUNT_NAME ?? '').toUpperCase() !== account.toUpperCase())
    return { code: '390201', message: `The requested account ${data.ACCOUNT_NAME} does not exist.` };
  if (String(data.AUTHENTICATOR ?? '').toUpperCase() === 'SNOWFLAKE_JWT') {
    if (!user || !verifyJwt(String(data.TOKEN ?? ''), account, user)) return BAD_JWT;
    return user;
  }
  if (!user || user.password === undefined || user.password !== data.PASSWORD) return WRONG_PASSWORD;
  return user;
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function verifyJwt(token: string, account: string, user: EmulatorUser): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  if (decode(header)?.alg !== 'RS256') return false;
  const claims = decode(payload);
  if (!claims) return false;
  const subject = `${account.toUpperCase()}.${user.name.toUpperCase()}`;
  if (claims.sub !== subject) return false;
  // snowflake-sdk writes iat/exp in milliseconds; Snowflake itself accepts both.
  const exp = Number(claims.exp);
  const expiresMs = exp > 1e12 ? exp : exp * 1000;
  if (!(expiresMs > Date.now())) return false;
  return user.publicKeys.some((publicKey) => {
    if (claims.iss !== `${subject}.${publicKeyFingerprint(publicKey)}`) return false;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    return verifier.verify(publicKey, Buffer.from(signature, 'base64url'));
  });
}
