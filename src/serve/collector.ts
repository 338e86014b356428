/**
 * `weft serve` as a library: opens the project's event log, starts the HTTP collector, the
 * lander and (when `events.mqtt` is configured) MQTT ingestion. `close()` is the graceful stop:
 * stop accepting, finish in-flight requests, land what the log holds, close the log.
 */
import type { AddressInfo } from 'node:net';
import type { Project } from '../config/types.js';
import { WriteKeys } from '../events/collect/write-keys.js';
import { type Lander, type LanderOptions, startLander } from '../events/land/lander.js';
import { type EmbeddedLogOptions, openEventLog } from '../events/log/index.js';
import { observeAppends } from '../events/log/observe.js';
import { type MqttIngest, startMqttIngest } from '../events/mqtt/index.js';
import type { EventLog } from '../events/types.js';
import type { StoreLoadResult } from '../realtime/load/loader.js';
import { loadOnStart } from '../realtime/load/on-start.js';
import { openServingStore } from '../realtime/store/open.js';
import type { ServingStore } from '../realtime/store/types.js';
import { closeIdleWarehouses } from '../warehouse/shared-access.js';
import { type LiveTriggers, startLiveTriggers } from './live-triggers.js';
import { Metrics } from './metrics.js';
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
  // Triggers read the live profile from the serving store (the warehouse when there is none).
  const triggers = await startLiveTriggers(project, { say, ...(store ? { reader: store } : {}) });
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
  const log = triggers ? observeAppends(durableLog, (events) => triggers.offerNow(events)) : durableLog;
  const lander = startLander(project, log, {
    ...options.lander,
    ...(triggers ? { beforeLanding: (batch) => triggers.beforeLanding(batch) } : {}),
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
    extraRoutes: store ? profileApiRoutes(project, store) : [],
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? serve?.port ?? 8080, options.bind ?? serve?.bind ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let mqtt: MqttIngest | undefined;
  if (events?.mqtt) {
    mqtt = await startMqttIngest(events.mqtt, log, { onError: (error) => say(`MQTT: ${error.message}`) });
  }
  const storeLoaded =
    store && (options.loadStore ?? ownStore) ? loadOnStart(project, store, say) : Promise.resolve(undefined);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    keys,
    log,
    lander,
    metrics,
    mqtt,
    ...(triggers ? { triggers } : {}),
    store,
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
