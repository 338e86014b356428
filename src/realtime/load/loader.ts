/**
 * Loads the serving store from the warehouse (after `weft build`, and when `weft serve` starts).
 *
 * 1. The warehouse fingerprints every profile into a scratch table (one aggregate over the
 *    source rows, nothing assembled: profile-sql.ts).
 * 2. When the store still holds the load the warehouse recorded (same token, fingerprints of the
 *    same shape), the difference is joined out of the two narrow fingerprint tables into a
 *    scratch table, and only it is read: profiles whose fingerprint is new or changed, and
 *    profiles gone. Else (first load, a store that was wiped or loaded by another warehouse,
 *    `full`) every profile is read into a new generation.
 * 3. Rows are streamed (one chunk in memory) into a staged load that the store makes visible
 *    at once on commit; then the scratch fingerprints become the recorded ones (a rename) with
 *    the token.
 */
import { randomUUID } from 'node:crypto';
import { dropQuietly, relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { ReconcileResult } from '../live/reconcile.js';
import type { LoadMode, ServingStore } from '../store/types.js';
import { handOverLive } from './live-handover.js';
import { assembledProfilesSql } from './profile-sql.js';
import { servedProfileOf } from './rows.js';
import { recordedToken, recordLoad, storeState } from './state.js';

/** How a load went. */
export interface StoreLoadResult {
  mode: LoadMode;
  /** Why a full load was chosen (absent for incremental loads). */
  reason?: string;
  /** Profiles the store serves after the load. */
  profiles: number;
  /** Profiles written (all of them for a full load; new or changed ones otherwise). */
  written: number;
  removed: number;
  ms: number;
  /**
   * Where the time went: fingerprinting every profile and the diff (assemble), assembling and
   * writing the rows the load writes (transfer), the bookkeeping (record).
   */
  phases: { assemble_ms: number; transfer_ms: number; record_ms: number };
  /** The live overlay after the hand-over to this load (../live/reconcile.ts). */
  live: ReconcileResult;
}

/** Options of a load. */
export interface StoreLoadOptions {
  /** Rewrite every profile even if the store could be loaded incrementally. */
  full?: boolean;
  /**
   * Above this share of changed profiles a full load is done instead (default 0.25). A cautious
   * bound, not a measured crossover: at 1M profiles a 25% incremental load of the embedded store
   * took 13.8 s against 22.4 s for a full one (bench/RESULTS.md, 2026-12-08).
   */
  fullAbove?: number;
  chunkRows?: number;
  now?: () => Date;
}

/** Loads `store` from `warehouse`. */
export async function loadServingStore(
  project: Project,
  warehouse: Warehouse,
  store: ServingStore,
  options: StoreLoadOptions = {},
): Promise<StoreLoadResult> {
  const started = Date.now();
  const d = warehouse.dialect;
  const state = storeState(project, store.description);
  const current = { schema: project.config.state_schema, name: `serving_cur_${state.key}` };
  const changes = { schema: project.config.state_schema, name: `serving_chg_${state.key}` };
  const assembled = await assembledProfilesSql(project, warehouse);
  const { traits } = assembled;
  await warehouse.execute(d.createSchema(project.config.state_schema));
  // Fingerprints of every profile (one aggregate); the rows are assembled only for what is written.
  await warehouse.execute(d.createTableAs(current, assembled.fingerprints));
  try {
    const storeToken = await store.loadToken();
    const recorded = await recordedToken(warehouse, state);
    const [totals] = await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify(current)}`);
    const total = Number(totals?.n ?? 0);
    let reason: string | undefined;
    if (options.full) reason = 'asked for';
    else if (storeToken === undefined) reason = 'the store is empty';
    else if (recorded !== storeToken) reason = 'the store does not hold the load this warehouse recorded';
    else if (!recorded.startsWith(`${assembled.shape}:`))
      reason = 'the trait columns or the warehouse hash changed since the last load';
    const chg = d.qualify(changes);
    if (!reason) {
      await warehouse.execute(
        d.createTableAs(changes, changesSql(d.qualify(current), d.qualify(state.fingerprints))),
      );
      const [counts] = await warehouse.query(`SELECT count(*) AS n FROM ${chg}`);
      const count = Number(counts?.n ?? 0);
      const most = Math.max(1, total) * (options.fullAbove ?? 0.25);
      if (count > most) reason = `${count} of ${total} profiles changed (a full load is faster)`;
    }
    const mode: LoadMode = reason ? 'full' : 'incremental';
    const diffed = Date.now();
    let transferred = diffed;
    let live: ReconcileResult = { dropped: 0, rekeyed: 0, kept: 0 };
    const load = await store.beginLoad(mode);
    let committed = false;
    let written = 0;
    let removed = 0;
    try {
      // With the lock held: a load that committed since the token was read makes the diff stale.
      if ((await store.loadToken()) !== storeToken)
        throw new Error('another load changed the serving store meanwhile: load again');
      const chunkRows = options.chunkRows ?? 2000;
      // Full loads in key order (profiles by id, then identifiers by type and value): stores
      // built on B-trees write sorted keys several times faster than scattered ones.
      const stream = warehouse.stream(
        mode === 'full'
          ? `SELECT * FROM (${assembled.rows()}) r ORDER BY profile_id`
          : assembled.rows(`SELECT profile_id FROM ${chg} WHERE gone = 0`),
        { chunkRows },
      );
      for await (const rows of stream) {
        await load.put(rows.map((row) => servedProfileOf(row, traits)));
        written += rows.length;
      }
      if (mode === 'full') {
        const map = d.qualify({ schema: project.config.schema, name: 'identity_map' });
        const sorted = `SELECT id_type, id_value, profile_id FROM ${map} ORDER BY id_type, id_value`;
        for await (const rows of warehouse.stream(sorted, { chunkRows: chunkRows * 4 })) {
          await load.index(
            rows.map((r) => ({
              type: String(r.id_type),
              value: String(r.id_value),
              profileId: String(r.profile_id),
            })),
          );
        }
      }
      if (mode === 'incremental') {
        const removedSql = `SELECT profile_id FROM ${chg} WHERE gone = 1`;
        for await (const rows of warehouse.stream(removedSql, { chunkRows })) {
          await load.remove(rows.map((row) => String(row.profile_id)));
          removed += rows.length;
        }
      }
      // The token names the fingerprints' shape, so a load of another shape is a full one.
      const token = `${assembled.shape}:${randomUUID()}`;
      await load.commit(token);
      committed = true;
      transferred = Date.now();
      await recordLoad(warehouse, state, current, token, total, options.now?.() ?? new Date());
    } catch (error) {
      // After the commit the load is what the store serves: an abort would remove what it wrote.
      // Not recorded in the warehouse, it only makes the next load a full one (tokens differ).
      if (!committed) await load.abort().catch(() => undefined);
      throw error;
    }
    // the load is visible: what it covers leaves the live overlay
    live = await handOverLive(project, warehouse, store, new Date(started));
    return {
      mode,
      ...(reason ? { reason } : {}),
      profiles: total,
      written,
      removed,
      ms: Date.now() - started,
      phases: {
        assemble_ms: diffed - started,
        transfer_ms: transferred - diffed,
        record_ms: Date.now() - transferred,
      },
      live,
    };
  } finally {
    // `current` is gone when recorded (it became the store's fingerprints)
    for (const ref of [current, changes])
      if (await relationKind(warehouse, ref)) await dropQuietly(warehouse, [ref]);
  }
}

/**
 * The profiles a load writes (`gone` 0: new or changed fingerprint) or removes (`gone` 1: no
 * longer served), from the fingerprints now (`cur`) and those the store holds (`fp`): one join of
 * two narrow tables.
 */
function changesSql(cur: string, fp: string): string {
  return `SELECT coalesce(c.profile_id, f.profile_id) AS profile_id, CASE WHEN c.profile_id IS NULL THEN 1 ELSE 0 END AS gone
FROM ${cur} c FULL OUTER JOIN ${fp} f ON f.profile_id = c.profile_id
WHERE c.profile_id IS NULL OR f.profile_id IS NULL OR f.fingerprint <> c.fingerprint`;
}
