/** `weft events tail [--source S] [--url URL]`: the events a running `weft serve` receives, as they become durable. */
import type { Command } from 'commander';
import type { CollectedEvent } from '../events/types.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure } from './errors.js';
import { onStopSignals } from './signals.js';

interface TailOptions extends GlobalOptions {
  source?: string;
  url?: string;
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('look at collected events');
  events
    .command('tail')
    .description('show events as a running `weft serve` acknowledges them (until Ctrl-C)')
    .option('--source <name>', 'only events of this source (weft.yml events.sources)')
    .option('--url <url>', 'the running serve (default: http://<serve.bind>:<serve.port> from weft.yml)')
    .addHelpText(
      'after',
      `
Reads GET /v1/tail of the running \`weft serve\`: one line per event the moment it is durable
(before it lands in the warehouse). When weft.yml sets serve.viewer_key or serve.admin_key, the
key is sent as a Bearer token (override with WEFT_SERVE_KEY); without either, the server only
answers clients on its own machine. A slow terminal skips events rather than slowing the server.

Examples:
  weft events tail
  weft events tail --source web --json | jq .event`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<TailOptions>();
      await withContext(opts, async ({ out, project }) => {
        const serve = project.config.serve;
        const host = !serve?.bind || serve.bind === '0.0.0.0' ? '127.0.0.1' : serve.bind;
        const base = opts.url ?? `http://${host}:${serve?.port ?? 8080}`;
        const url = new URL('/v1/tail', base);
        if (opts.source) url.searchParams.set('source', opts.source);
        const key = process.env.WEFT_SERVE_KEY || serve?.viewer_key || serve?.admin_key;
        const abort = new AbortController();
        const release = onStopSignals(out, () => abort.abort());
        try {
          const response = await fetch(url, {
            headers: key ? { authorization: `Bearer ${key}` } : {},
            signal: abort.signal,
          }).catch((error: Error) => {
            out.error(`✗ cannot reach weft serve at ${base} (${error.message}): is it running?`);
            throw new ReportedFailure(1);
          });
          if (!response.ok || !response.body) {
            out.error(`✗ ${base} answered ${response.status}: ${await response.text()}`);
            throw new ReportedFailure(1);
          }
          if (!out.json) out.info(`tailing ${url.toString()} (Ctrl-C to stop)`);
          let pending = '';
          const decoder = new TextDecoder();
          for await (const chunk of response.body) {
            pending += decoder.decode(chunk as Uint8Array, { stream: true });
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) if (line.trim()) show(JSON.parse(line) as CollectedEvent);
          }
        } catch (error) {
          if (!abort.signal.aborted) throw error;
        } finally {
          release();
        }

        function show(event: CollectedEvent): void {
          if (out.json) {
            out.result(event);
            return;
          }
          const who = event.userId ?? `anon:${event.anonymousId}`;
          const what = event.event ?? event.name ?? event.groupId ?? event.previousId ?? '';
          out.info(
            `${event.receivedAt}  ${event.source}  ${event.type.padEnd(8)} ${what}  ${who}  ${event.messageId}`,
          );
        }
      });
    });
}
