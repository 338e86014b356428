/** `weft serve [--port N] [--bind ADDR]`: the event collector (Segment's Tracking API), its durable log and lander. */
import type { Command } from 'commander';
import type { Project } from '../config/types.js';
import { startCollector } from '../serve/collector.js';
import { type GlobalOptions, withContext } from './context.js';
import { UsageError } from './errors.js';
import { serveConsoleOnly } from './serve-console.js';
import { onStopSignals } from './signals.js';

interface ServeCommandOptions extends GlobalOptions {
  port?: string;
  bind?: string;
  /** false with --no-mqtt. */
  mqtt?: boolean;
  consoleOnly?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      "collect events from Segment's and RudderStack's SDKs and land them in the warehouse, and answer the profile API (long-running)",
    )
    .option('--port <n>', 'port to listen on (default: serve.port in weft.yml, else 8080)')
    .option(
      '--bind <address>',
      "address to listen on (default: serve.bind, else 127.0.0.1; '0.0.0.0' for all)",
    )
    .option('--no-mqtt', 'do not subscribe to the MQTT broker of events.mqtt (e.g. when it is not running)')
    .option('--console-only', 'serve only the web console (no collector, lander or MQTT)')
    .addHelpText(
      'after',
      `
Point an SDK's host at the printed URL with a source's write key (weft.yml events.sources):
  new Analytics({ writeKey: process.env.WEB_WRITE_KEY, host: 'http://127.0.0.1:8080' })  // @segment/analytics-node
  new Analytics(writeKey, { dataPlaneUrl: 'http://127.0.0.1:8080' })                   // @rudderstack/rudder-sdk-node

An event is answered 200 only once it is fsync'd to the log (events.log_dir); the lander writes
the log to <events.schema>.tracks, identifies, pages, screens, groups, aliases and one table per
event name, every landing_interval_ms, exactly once per messageId. When events wait too long to
land, requests get 429 (503 when the disk is full) with Retry-After. See docs/events.md.

With models/identity.yml, it also answers from the serving store (loaded by \`weft build\`, and
brought up to date when serve starts): GET /v1/profiles/{type:value|profile_id} with the
serve.viewer_key or admin_key, and GET /v1/personalize?anonymousId=… for browsers with a
publishable key (only serve.public traits and audiences). See docs/profile-api.md.

With serve.admin_key: POST /v1/privacy/requests takes OpenDSR erasure, access and portability
requests, GET /v1/privacy/requests/{id} answers their status, and pending privacy steps are
worked in the background (privacy.api.run_interval_seconds), with signed status callbacks.
See docs/privacy.md.

The web console is served at / (sign in with serve.viewer_key, or serve.editor_key / admin_key
to save audiences and run syncs); --console-only serves it alone. See docs/console.md.

SIGTERM / Ctrl-C: stop accepting, finish in-flight requests, land what the log holds, exit 0.
A SIGKILL loses nothing acknowledged: the log is replayed at the next start.

With events.mqtt it subscribes to the broker first and stops if it cannot (--no-mqtt skips it).

Examples:
  weft serve
  weft serve --port 9000 --bind 0.0.0.0
  weft serve --no-mqtt
  weft serve --console-only
  weft events tail --source web`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServeCommandOptions>();
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
        throw new UsageError('--port must be a whole number from 0 to 65535');
      await withContext(opts, async ({ out, project: loaded }) => {
        if (opts.consoleOnly) return serveConsoleOnly(out, loaded, { port, bind: opts.bind });
        const project = opts.mqtt === false ? withoutMqtt(loaded) : loaded;
        const sources = Object.keys(project.config.events?.sources ?? {});
        // A project with identity.yml may serve the profile API alone.
        if (sources.length === 0 && !project.identity) {
          out.error(
            'No events sources: add `events: { sources: { web: { write_key: "{{env \'WEB_WRITE_KEY\'}}" } } }` to weft.yml.',
          );
          throw new UsageError('weft serve needs at least one events source (or models/identity.yml)');
        }
        const stamp = () => new Date().toISOString();
        const collector = await startCollector(project, {
          port,
          bind: opts.bind,
          say: (line) => out.warn(`${stamp()} ${line}`),
        });
        const triggerNames = (project.triggers ?? []).filter((t) => t.value.enabled).map((t) => t.value.name);
        let stopped!: () => void;
        const stop = new Promise<void>((resolve) => {
          stopped = resolve;
        });
        const release = onStopSignals(
          out,
          () => stopped(),
          (line) => `${stamp()} ${line}`,
        );
        const endpoints = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch'].map(
          (p) => `${collector.url}/v1/${p}`,
        );
        out.result({
          url: collector.url,
          endpoints,
          health: `${collector.url}/health`,
          console: `${collector.url}/`,
          metrics: `${collector.url}/metrics`,
          tail: `${collector.url}/v1/tail`,
          ...(collector.store
            ? {
                profiles: `${collector.url}/v1/profiles/{id_type}:{value}`,
                personalize: `${collector.url}/v1/personalize`,
                serving_store: collector.store.description,
              }
            : {}),
          sources: collector.keys.sources.map((s) => ({ name: s.name, write_key: s.maskedKey })),
          triggers: triggerNames,
        });
        out.info(`weft serve listening on ${collector.url}`);
        out.info(`  POST ${collector.url}/v1/{track,identify,page,screen,group,alias,batch}`);
        out.info(`  GET  ${collector.url}/health, /ready, /metrics, /v1/tail`);
        if (collector.store) {
          out.info(`  GET  ${collector.url}/v1/profiles/{id_type}:{value}, /v1/personalize`);
          out.info(`Serving store: ${collector.store.description}`);
          for (const warning of unknownPublicNames(project)) out.warn(`warning: ${warning}`);
        }
        if (project.config.serve?.admin_key)
          out.info(`  POST ${collector.url}/v1/privacy/requests (OpenDSR; admin key), GET …/{id}`);
        out.info(`  GET  ${collector.url}/ the web console (sign in with serve.viewer_key or editor_key)`);
        out.info('Sources (write keys masked):');
        for (const source of collector.keys.sources) out.info(`  ${source.name}  ${source.maskedKey}`);
        if (triggerNames.length > 0) out.info(`Triggers: ${triggerNames.join(', ')}`);
        out.info(
          `Landing in ${project.config.events?.schema ?? 'events'}.* every ${project.config.events?.landing_interval_ms ?? 1000} ms`,
        );
        try {
          await stop;
        } finally {
          await collector.close();
          release();
        }
        out.note(`${stamp()} stopped: ${collector.lander.landed} events landed`);
      });
    });
}

/** The project with its `events.mqtt` block left out (`--no-mqtt`). */
function withoutMqtt(project: Project): Project {
  const events = project.config.events;
  if (!events?.mqtt) return project;
  const { mqtt: _left, ...rest } = events;
  return { ...project, config: { ...project.config, events: rest } };
}

/** serve.public entries that name no trait of profiles.yml or no audience (they never show). */
function unknownPublicNames(project: Project): string[] {
  const listed = project.config.serve?.public;
  if (!listed) return [];
  const traits = Object.keys(project.profiles?.traits ?? {});
  const audiences = project.audiences.map((a) => a.value.name);
  return [
    ...listed.traits
      .filter((t) => !traits.includes(t))
      .map((t) => `serve.public.traits: '${t}' is not a trait of models/profiles.yml`),
    ...listed.audiences
      .filter((a) => !audiences.includes(a))
      .map((a) => `serve.public.audiences: '${a}' is not an audience of models/audiences/`),
  ];
}
