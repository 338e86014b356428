/**
 * Stop signals for long-running commands (`weft sync`, `weft schedule`): the first SIGTERM or
 * SIGINT asks for a graceful stop (in-flight batches settle, the journal is merged, the run is
 * committed `partial`); a second one exits at once, which the delivery contract makes safe.
 */
import type { Output } from './output.js';

/**
 * Installs the handlers; `stop(signal)` runs on the first signal, `say` prefixes its lines (e.g.
 * with a time). Returns the un-installer.
 */
export function onStopSignals(
  out: Output,
  stop: (signal: NodeJS.Signals) => void,
  say: (line: string) => string = (line) => line,
): () => void {
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received++;
    if (received > 1) {
      out.note(say(`${signal} again: exiting now`));
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    out.note(say(`${signal}: finishing in-flight batches (send it again to exit now)`));
    stop(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
