/** `weft serve --console-only`: the web console alone (no collector, lander or MQTT). */
import { createServer } from 'node:http';
import type { Project } from '../../config/types.js';
import { closeIdleWarehouses } from '../../warehouse/shared-access.js';
import { listenAt } from '../listen.js';
import { sendError } from '../respond.js';
import { type ConsoleRouteOptions, consoleRoutes } from './routes.js';

/** A running console server. */
export interface RunningConsole {
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the console on `port` and `bind` (default weft.yml serve.port / serve.bind, 127.0.0.1). */
export async function startConsole(
  project: Project,
  options: { port?: number; bind?: string } & ConsoleRouteOptions = {},
): Promise<RunningConsole> {
  const routes = consoleRoutes(project, { root: options.root, signIn: options.signIn });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://weft.local');
    const route = url.pathname.replace(/\/+$/, '');
    const match = routes.find((r) => r.matches(route));
    if (!match) return sendError(response, 404, `no route ${request.method} ${route || '/'}`);
    match.handle(request, response, url, route).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `internal error: ${(error as Error).message}`);
      else response.destroy();
    });
  });
  const serve = project.config.serve;
  const url = await listenAt(
    server,
    options.port ?? serve?.port ?? 8080,
    options.bind ?? serve?.bind ?? '127.0.0.1',
  );
  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await closeIdleWarehouses();
    },
  };
}
