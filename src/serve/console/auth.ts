/**
 * Sign-in of the web console: a Bearer key from weft.yml `serve:`. `editor_key` and `admin_key`
 * sign in as editor (save audiences, plan and sync now), `viewer_key` as viewer (read only).
 * Anything else (no key, a wrong key, no console keys configured) is refused.
 */
import type { IncomingMessage } from 'node:http';
import type { ServeConfig } from '../../config/schemas/serve.js';
import { bearerToken, sameText } from '../secret-key.js';

/** What a signed-in console user may do. */
export type ConsoleRole = 'viewer' | 'editor';

/** The keys that sign in to the console, by role. */
export interface ConsoleKeys {
  editor: string[];
  viewer: string[];
}

/** The console keys of a `serve:` block. */
export function consoleKeys(serve: ServeConfig | undefined): ConsoleKeys {
  const present = (keys: Array<string | undefined>) => keys.filter((k): k is string => Boolean(k));
  return { editor: present([serve?.editor_key, serve?.admin_key]), viewer: present([serve?.viewer_key]) };
}

/** The role `request`'s Bearer key signs in as, or undefined (refused). */
export function consoleRole(request: IncomingMessage, keys: ConsoleKeys): ConsoleRole | undefined {
  const token = bearerToken(request);
  if (token === undefined) return undefined;
  // Every key is compared (no early exit), so timing does not tell which role a key nearly had.
  const editor = keys.editor.map((key) => sameText(key, token)).includes(true);
  const viewer = keys.viewer.map((key) => sameText(key, token)).includes(true);
  return editor ? 'editor' : viewer ? 'viewer' : undefined;
}
