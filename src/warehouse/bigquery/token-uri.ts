import type { BigQuery } from '@google-cloud/bigquery';

/** Where google-auth-library always sends a service account's JWT bearer grant. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

interface RequestOptions {
  url?: URL | string;
}
interface Interceptable {
  transporter?: {
    interceptors: {
      request: { add(interceptor: { resolved: (o: RequestOptions) => RequestOptions }): void };
    };
  };
}

/**
 * Sends the token request to the key's own `token_uri` when it is not Google's. A key carries
 * `token_uri`, but google-auth-library hard-codes Google's token endpoint (gtoken's
 * GOOGLE_TOKEN_URL), which would make keys for another token server (an emulator, a private
 * endpoint) unusable. Google-issued keys name Google's endpoint, so nothing changes for them.
 */
export async function honourTokenUri(bigquery: BigQuery, tokenUri: string | undefined): Promise<void> {
  if (!tokenUri || tokenUri === GOOGLE_TOKEN_URI) return;
  const client = (await bigquery.authClient.getClient()) as unknown as Interceptable;
  client.transporter?.interceptors.request.add({
    resolved: (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URI) options.url = new URL(tokenUri);
      return options;
    },
  });
}
