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
import { type MqttIngest, startMqttIngest } from '../events/mqtt/index.js';
import type { EventLog } from '../events/types.js';
import type { StoreLoadResult } from '../realtime/load/loader.js';
import { loadOnStart } from '../realtime/load/on-start.js';
import { openServingStore } from '../realtime/store/open.js';
import type { ServingStore } from '../realtime/store/types.js';
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
  const log = await openEventLog(project, options.log);
  const metrics = new Metrics();
  const say = options.say ?? (() => undefined);
  const lander = startLander(project, log, {
    ...options.lander,
    onLanded: (events, ms) => {
      metrics.count('weft_events_landed_total', 'Events landed in the warehouse', {}, events.length);
      options.lander?.onLanded?.(events, ms);
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
  const ownStore = options.store === undefined && project.identity !== undefined;
  const store =
    options.store === false
      ? undefined
      : (options.store ?? (ownStore ? openServingStore(project) : undefined));
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
        await log.close();
        await storeLoaded;
        if (ownStore) await store?.close();
      })();
      return closing;
    },
  };
}
