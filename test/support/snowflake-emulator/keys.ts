import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** An RSA key pair as Snowflake key-pair auth uses it, with the fingerprint Snowflake shows (RSA_PUBLIC_KEY_FP). */
export interface UserKeyPair {
  /** PKCS#8 PEM (unencrypted). */
  privateKey: string;
  /** SPKI PEM: what `ALTER USER … SET RSA_PUBLIC_KEY` registers. */
  publicKey: string;
  /** `SHA256:` + base64 of the SHA-256 of the DER public key. */
  fingerprint: string;
}

/** `SHA256:<base64>` of a public key (PEM, SPKI), as snowflake-sdk puts it in the JWT issuer. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

/** A fresh 2048-bit RSA key pair. */
export function generateUserKeyPair(): UserKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}
