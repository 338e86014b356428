/** `weft serve --console-only`: the web console alone, until SIGTERM / Ctrl-C. */
import type { Project } from '../config/types.js';
import { consoleKeys } from '../serve/console/auth.js';
import { startConsole } from '../serve/console/start.js';
import type { Output } from './output.js';
import { onStopSignals } from './signals.js';

/** Serves the console of `project` until a stop signal. */
export async function serveConsoleOnly(
  out: Output,
  project: Project,
  options: { port?: number; bind?: string },
): Promise<void> {
  const keys = consoleKeys(project.config.serve);
  if (keys.editor.length + keys.viewer.length === 0)
    out.warn(
      'warning: no console keys: set serve.viewer_key and serve.editor_key in weft.yml (nobody can sign in)',
    );
  const running = await startConsole(project, options);
  let stopped!: () => void;
  const stop = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const release = onStopSignals(out, () => stopped());
  out.result({ url: running.url, console: `${running.url}/` });
  out.info(`weft console listening on ${running.url}/`);
  try {
    await stop;
  } finally {
    await running.close();
    release();
  }
}
