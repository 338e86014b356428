/** Which destination account a connection writes to: syncs of one account share its budget. */
import type { AnyDestination } from '../../destination-kit/index.js';

/**
 * `<type>:<account>` when the destination tells its account from the settings (e.g. the
 * webhook: the URL's origin and path), else `<type>:<connection name>` (one account per connection).
 */
export function accountKey(destination: AnyDestination, settings: unknown, connection: string): string {
  const account = destination.account?.(settings);
  return `${destination.type}:${account || connection}`;
}
