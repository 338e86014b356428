/** Calls to the console API with the signed-in key (kept in sessionStorage: gone with the tab). */

const KEY = 'weft-console-key';

/** An API answer other than 2xx. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function savedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}

/** How a call is made beyond its path and body. */
export interface CallOptions {
  /** Aborting it drops the call; the server then stops its work too. */
  signal?: AbortSignal;
  /**
   * The builder instance making the call: the server lets its newest draft's call supersede the
   * older ones still pending (header `x-weft-builder`).
   */
  builder?: string;
}

/** GET (no body) or POST (`body` as JSON) `/console/api/<path>`. */
export async function api<T>(
  path: string,
  body?: unknown,
  key = savedKey(),
  options: CallOptions = {},
): Promise<T> {
  const response = await fetch(`/console/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${key ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.builder ? { 'x-weft-builder': options.builder } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const data = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, data.error ?? `HTTP ${response.status}`);
  return data as T;
}
