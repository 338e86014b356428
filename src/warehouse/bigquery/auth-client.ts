import { createRequire } from 'node:module';
import type { BigQueryOptions } from '@google-cloud/bigquery';
import type { ServiceAccountKey } from './settings.js';

/** Where google-auth-library always sends a service account's JWT bearer grant. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

interface RequestOptions {
  url?: URL | string;
}
/** The parts of google-auth-library's JWT client used here. */
interface JwtClient {
  transporter: {
    interceptors: {
      request: { add(interceptor: { resolved: (o: RequestOptions) => RequestOptions }): void };
    };
  };
}
type JwtConstructor = new (options: {
  email?: string;
  key?: string;
  keyId?: string;
  scopes?: string[];
}) => JwtClient;

/**
 * google-auth-library as the BigQuery client itself loads it (through @google-cloud/common), so
 * the client recognises the auth client it is given whatever the node_modules layout.
 */
function googleAuthLibrary(): { JWT: JwtConstructor } {
  const fromHere = createRequire(import.meta.url);
  const fromBigQuery = createRequire(fromHere.resolve('@google-cloud/bigquery'));
  const fromCommon = createRequire(fromBigQuery.resolve('@google-cloud/common'));
  return fromCommon('google-auth-library') as { JWT: JwtConstructor };
}

/**
 * A JWT (service-account) auth client for `key`. Built directly because the library's
 * `credentials`/`keyFilename` options print a deprecation warning on every open. When the key's
 * `token_uri` is not Google's, the token request goes there: google-auth-library hard-codes
 * Google's token endpoint (gtoken), which would make keys for another token server (an
 * emulator, a private endpoint) unusable. Google-issued keys name Google's endpoint.
 */
export function serviceAccountAuthClient(key: ServiceAccountKey): NonNullable<BigQueryOptions['authClient']> {
  const { JWT } = googleAuthLibrary();
  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: [BIGQUERY_SCOPE],
  });
  const tokenUri = key.token_uri;
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URI) {
    client.transporter.interceptors.request.add({
      resolved: (options) => {
        if (String(options.url) === GOOGLE_TOKEN_URI) options.url = new URL(tokenUri);
        return options;
      },
    });
  }
  return client as unknown as NonNullable<BigQueryOptions['authClient']>;
}
