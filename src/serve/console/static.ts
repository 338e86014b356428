/**
 * The console's built files (`dist/console`, written by `vite build` at install) served at `/`.
 * Only files inside that folder are served; `/` is its index.html. The app routes with `#/…`,
 * so no other path needs the index.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError } from '../respond.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Headers every console answer carries: no framing, no inline scripts, no referrer. */
export const CONSOLE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

/** The folder of the built console: `<package root>/dist/console` (from src/ and dist/ alike). */
export function consoleDistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, 'dist', 'console');
}

/** Whether `route` names a console file. */
export function isStaticRoute(route: string): boolean {
  return route === '' || route === '/index.html' || route.startsWith('/assets/') || route === '/favicon.svg';
}

/** Sends the console file `route` names (404 when there is none, 503 when the console is not built). */
export function sendStatic(response: ServerResponse, route: string, root = consoleDistDir()): void {
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    sendError(response, 503, 'the console is not built: run `npm run build` (it runs vite build)');
    return;
  }
  const relative = route === '' ? 'index.html' : decodeURIComponent(route.slice(1));
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`) || !existsSync(file) || !statSync(file).isFile()) {
    sendError(response, 404, `no console file ${route}`);
    return;
  }
  const body = readFileSync(file);
  const hashed = relative.startsWith('assets/');
  response.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...CONSOLE_HEADERS,
  });
  response.end(body);
}
