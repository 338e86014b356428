/**
 * `weft serve` as a library: opens the project's event log, starts the HTTP collector, the
 * lander and (when `events.mqtt` is configured) MQTT ingestion. `close()` is the graceful stop:
 * stop accepting, finish in-flight requests, land what the log holds, close the log.
 */

import type { Project } from '../config/types.js';
import { WriteKeys } from '../events/collect/write-keys.js';
import { type Lander, type LanderOptions, startLander } from '../events/land/lander.js';
import { type EmbeddedLogOptions, openEventLog } from '../events/log/index.js';
import { observeAppends } from '../events/log/observe.js';
import { type MqttIngest, startMqttIngest } from '../events/mqtt/index.js';
import type { EventLog } from '../events/types.js';
import { type LiveIdentity, openLiveIdentity } from '../realtime/live/ingest.js';
import type { StoreLoadResult } from '../realtime/load/loader.js';
import { loadOnStart } from '../realtime/load/on-start.js';
import { openServingStore } from '../realtime/store/open.js';
import type { ServingStore } from '../realtime/store/types.js';
import { landTriggerRuns } from '../realtime/triggers/runs-table.js';
import { closeIdleWarehouses, withWarehouse } from '../warehouse/shared-access.js';
import { consoleRoutes } from './console/routes.js';
import { listenAt } from './listen.js';
import { type LiveTriggers, startLiveTriggers } from './live-triggers.js';
import { Metrics } from './metrics.js';
import { privacyRoutes } from './privacy-route.js';
import { PrivacyRunner } from './privacy-runner.js';
import { profileApiRoutes } from './profile-api.js';
import { createCollectorServer } from './server.js';
import { TailHub } from './tail-route.js';

/** Where and how to run. */
export interface CollectorOptions {
  port?: number;
  bind?: string;
  log?: EmbeddedLogOptions;
  lander?: LanderOptions;
  /** Log lines (landing errors, MQTT errors). */
  say?: (line: string) => void;
  /**
   * The serving store behind the profile API (default: weft.yml `serve.store`, opened when the
   * project has identity.yml; `false`: no profile API). A store passed in is not closed.
   */
  store?: ServingStore | false;
  /** Load the serving store from the warehouse at start (default: when the store is opened here). */
  loadStore?: boolean;
}

/** A running collector. */
export interface RunningCollector {
  /** `http://host:port`. */
  readonly url: string;
  readonly keys: WriteKeys;
  readonly log: EventLog;
  readonly lander: Lander;
  readonly metrics: Metrics;
  readonly mqtt?: MqttIngest;
  /** The enabled triggers' engine, when the project has any. */
  readonly triggers?: LiveTriggers;
  /** The serving store behind the profile API, if any. */
  readonly store?: ServingStore;
  /** Live identity over the store (when the project has identity.yml). */
  readonly live?: LiveIdentity;
  /** The background runner of privacy steps (runs when serve.admin_key is set). */
  readonly privacy: PrivacyRunner;
  /** The start's serving-store load (undefined when none ran or it failed). */
  readonly storeLoaded: Promise<StoreLoadResult | undefined>;
  close(): Promise<void>;
}

/** Starts everything; resolves once the server listens. */
export async function startCollector(
  project: Project,
  options: CollectorOptions = {},
): Promise<RunningCollector> {
  const events = project.config.events;
  const serve = project.config.serve;
  const keys = new WriteKeys(events?.sources ?? {});
  const metrics = new Metrics();
  const say = options.say ?? (() => undefined);
  const ownStore = options.store === undefined && project.identity !== undefined;
  const store =
    options.store === false
      ? undefined
      : (options.store ?? (ownStore ? openServingStore(project) : undefined));
  // Live identity stitches every durable event into the store's overlay (src/realtime/live).
  const live = store && project.identity ? openLiveIdentity(project, store) : undefined;
  const reader = live?.reader ?? store;
  // Triggers read the live profile from the serving store (the warehouse when there is none).
  // The trigger journal lands in trigger_runs through the lander (its worker thread) once it runs.
  let lander: Lander | undefined;
  const triggers = await startLiveTriggers(project, {
    say,
    ...(reader ? { reader } : {}),
    landRuns: (stateSchema, rows, updates) =>
      lander
        ? lander.landTriggerRuns(stateSchema, rows, updates)
        : withWarehouse(project, (w) => landTriggerRuns(w, stateSchema, rows, updates)),
  });
  const durableLog = await openEventLog(project, {
    ...options.log,
    onCommit: (events, ms) => {
      metrics.count('weft_log_commits_total', 'Group commits (write + fdatasync) of the embedded log');
      metrics.count(
        'weft_log_commit_seconds_total',
        'Seconds spent in group commits (write + fdatasync) of the embedded log',
        {},
        ms / 1000,
      );
      options.log?.onCommit?.(events, ms);
    },
  });
  const log =
    triggers || live
      ? observeAppends(durableLog, (events) =>
          afterAppend(live, events, say).then(() => triggers?.offerNow(events)),
        )
      : durableLog;
  lander = startLander(project, log, {
    ...options.lander,
    ...(triggers || live
      ? {
          beforeLanding: async (batch) => {
            // a stitch lost to a crash between ack and overlay is redone (idempotent)
            await live
              ?.apply(batch.events, false)
              .catch((error: Error) => say(`live identity: ${error.message}`));
            await triggers?.beforeLanding(batch);
          },
        }
      : {}),
    onLanded: (landed, ms) => {
      metrics.count('weft_events_landed_total', 'Events landed in the warehouse', {}, landed.count);
      options.lander?.onLanded?.(landed, ms);
    },
    onError: (error) => {
      metrics.count('weft_landing_errors_total', 'Failed landings (retried)');
      say(`landing failed (will retry): ${error.message}`);
      options.lander?.onError?.(error);
    },
  });
  metrics.gauge(
    'weft_log_pending_events',
    'Events durable in the log, not yet landed',
    async () => (await log.stats()).pending,
  );
  let url = '';
  let privacy: PrivacyRunner | undefined;
  const tail = new TailHub([serve?.viewer_key, serve?.admin_key].filter((k): k is string => Boolean(k)));
  const server = createCollectorServer({
    log,
    keys,
    metrics,
    tail,
    readiness: async () =>
      lander.lastError
        ? { ready: false, reason: `landing in the warehouse fails: ${lander.lastError.message}` }
        : { ready: true },
    extraRoutes: [
      ...(store ? profileApiRoutes(project, reader ?? store, live) : []),
      privacyRoutes({ project, kick: () => privacy?.kick(), baseUrl: () => url, say }),
      // The web console at / and /console/api/… (its keys: serve.viewer_key, editor_key, admin_key).
      ...consoleRoutes(project),
    ],
  });
  url = await listenAt(
    server,
    options.port ?? serve?.port ?? 8080,
    options.bind ?? serve?.bind ?? '127.0.0.1',
  );
  // Pending privacy steps (API and CLI requests alike) are worked in the background (privacy-runner.ts).
  const interval = serve?.admin_key ? (project.config.privacy?.api?.run_interval_seconds ?? 60) : 0;
  privacy = new PrivacyRunner(project, { intervalMs: interval * 1000, baseUrl: () => url, say });
  let mqtt: MqttIngest | undefined;
  if (events?.mqtt) {
    try {
      mqtt = await startMqttIngest(events.mqtt, log, { onError: (error) => say(`MQTT: ${error.message}`) });
    } catch (error) {
      // Nothing started here may outlive the failed start (the process would not exit).
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await lander.stop();
      await triggers?.close();
      await log.close();
      if (ownStore) await store?.close();
      throw error;
    }
  }
  const storeLoaded =
    store && (options.loadStore ?? ownStore) ? loadOnStart(project, store, say) : Promise.resolve(undefined);
  let closing: Promise<void> | undefined;
  return {
    url,
    keys,
    log,
    lander,
    metrics,
    mqtt,
    ...(triggers ? { triggers } : {}),
    store,
    ...(live ? { live } : {}),
    privacy,
    storeLoaded,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        tail.close();
        // Requests still open after a grace period (a stalled client) are cut.
        const cut = setTimeout(() => server.closeAllConnections(), 5000);
        cut.unref();
        await mqtt?.close();
        await closed;
        await privacy?.close();
        await lander.stop();
        await triggers?.close();
        await log.close();
        // A warehouse kept open for reuse (Postgres, BigQuery, Snowflake) by in-thread landing.
        await closeIdleWarehouses();
        await storeLoaded;
        if (ownStore) await store?.close();
      })();
      return closing;
    },
  };
}

/** Stitches appended events into the live overlay (never rejects: the lander's pass redoes it). */
async function afterAppend(
  live: LiveIdentity | undefined,
  events: import('../events/types.js').CollectedEvent[],
  say: (line: string) => void,
): Promise<void> {
  if (!live) return;
  try {
    await live.apply(events);
  } catch (error) {
    say(`live identity: ${(error as Error).message} (redone when the events land)`);
  }
}
