/** One JSON POST with a timeout; a non-2xx answer is an error naming only the status. */

/** How long an alert may take before it counts as undelivered. */
export const ALERT_TIMEOUT_MS = 10_000;

/** POSTs `body`; throws on a network error, a timeout or a non-2xx status. */
export async function postJson(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
  });
  await response.arrayBuffer().catch(() => undefined); // free the socket
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}
