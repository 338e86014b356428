import { WarehouseError } from '../types.js';
import type { SnowflakeTarget } from './connect-options.js';

// Snowflake's login error codes (GS), as strings in `error.code`.
const WRONG_PASSWORD = '390100';
const JWT_CODES = new Set(['390144', '394304', '390146']);
const USER_LOCKED = new Set(['390101', '390102']);
// snowflake-sdk's own codes: network failure and a non-200 HTTP answer.
const NETWORK = '401001';
const HTTP_FAILURE = '401002';

/**
 * A failed login as a WarehouseError saying what failed and what to check; the SDK's error is
 * `cause`. Never includes the password, private key or passphrase: `secrets` are masked from
 * any text taken from the driver, in case it ever echoes one.
 */
export function openError(error: unknown, target: SnowflakeTarget): WarehouseError {
  const detail = error as { code?: unknown; message?: string; response?: { statusCode?: number } };
  const code = detail?.code === undefined ? '' : String(detail.code);
  const reason = mask(typeof detail?.message === 'string' ? detail.message : String(error), target.secrets);
  const prefix = `Cannot log in to Snowflake as ${target.shown}`;
  let advice: string;
  if (code === WRONG_PASSWORD) {
    advice =
      target.auth === 'password'
        ? 'Snowflake says the user name or password is wrong. Check warehouse.user and warehouse.password ' +
          '(or the user and password in WEFT_WAREHOUSE_URL).'
        : 'Snowflake refused the user. Check warehouse.user and that the user exists.';
  } else if (JWT_CODES.has(code)) {
    advice =
      'Snowflake refused the key-pair login (JWT). Check that the public key of warehouse.private_key_path / ' +
      'private_key is registered for the user (ALTER USER … SET RSA_PUBLIC_KEY = …; DESC USER shows ' +
      'RSA_PUBLIC_KEY_FP) and that the account identifier is right.';
  } else if (USER_LOCKED.has(code)) {
    advice = 'The user is locked or disabled; ask a Snowflake administrator.';
  } else if (code === NETWORK) {
    advice =
      'Snowflake could not be reached. Check the account identifier (warehouse.account, e.g. myorg-myaccount), ' +
      'access_url if set, and the network or proxy.';
  } else if (code === HTTP_FAILURE) {
    const status = detail.response?.statusCode;
    advice =
      `Snowflake answered HTTP ${status ?? 'error'}. ` +
      'Check the account identifier (warehouse.account) and access_url if set.';
  } else if (/private key|PEM|decrypt|passphrase|asn1|DECODER/i.test(reason)) {
    advice =
      'The private key could not be read. Check warehouse.private_key_path (a PEM file) or private_key, ' +
      'and private_key_passphrase for an encrypted key.';
  } else {
    advice = 'Check the warehouse settings in weft.yml (account, user, database, warehouse, role).';
  }
  return new WarehouseError(`${prefix}: ${reason}. ${advice}`, undefined, { cause: error });
}

function mask(text: string, secrets: string[]): string {
  let masked = text;
  for (const secret of secrets) if (secret.length >= 4) masked = masked.split(secret).join('***');
  return masked;
}
