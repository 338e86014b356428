/** Column layouts of the identity output and state tables. */
import { relationKind } from '../build/relations.js';
import type { ColumnDef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';

const s = (name: string): ColumnDef => ({ name, type: 'string' });
const ts = (name: string): ColumnDef => ({ name, type: 'timestamp' });
const big = (name: string): ColumnDef => ({ name, type: 'bigint' });

/** Output tables in the project schema (design.md / identity contract). */
export const OUTPUT_TABLES: Record<string, ColumnDef[]> = {
  /** A view over the state's per-source wide tables (see occurrences.ts); listed for its columns. */
  identity_occurrences: [
    s('source'),
    s('row_key'),
    s('id_type'),
    s('id_value'),
    s('raw_value'),
    ts('seen_at'),
    s('excluded_reason'),
  ],
  identity_map: [s('id_type'), s('id_value'), s('profile_id'), ts('first_seen_at'), ts('last_seen_at')],
  identity_rows: [s('source'), s('row_key'), s('profile_id')],
  identity_edges: [
    s('source'),
    s('row_key'),
    s('a_type'),
    s('a_value'),
    s('b_type'),
    s('b_value'),
    ts('first_seen_at'),
    ts('last_seen_at'),
    big('row_count'),
    { name: 'used_for_merge', type: 'boolean' },
    s('unused_reason'),
  ],
  profile_merges: [s('old_profile_id'), s('new_profile_id'), s('reason'), ts('at')],
  /**
   * Values never merged on, attached to every profile seen with them: `reason` 'shared' (a
   * role mailbox, a desk phone: `persons` people's distinct evidence) or 'hub' (`persons`: the
   * distinct higher-priority ids it linked). One row per (value, profile).
   */
  identity_shared: [
    s('id_type'),
    s('id_value'),
    s('profile_id'),
    s('reason'),
    big('persons'),
    big('row_count'),
  ],
};

/** State tables (`identity_state_<name>` in the state schema) the incremental runs continue from. */
export const STATE_TABLES: Record<string, ColumnDef[]> = {
  meta: [s('key'), s('value')],
  /** Values never merged on: `reason` 'hub' (partners: higher-priority ids) or 'shared' (partners: people). */
  hubs: [s('id_type'), s('id_value'), big('partners'), s('reason')],
  /** Star edges with evidence; `hub` when an endpoint is a hub. */
  edges: [
    s('source'),
    s('a_type'),
    s('a_value'),
    s('b_type'),
    s('b_value'),
    s('row_key'),
    ts('first_seen_at'),
    ts('last_seen_at'),
    big('row_count'),
    { name: 'hub', type: 'boolean' },
  ],
  /** Used identifiers with their integer id and raw (pre-limit) component label. */
  nodes: [
    big('node_id'),
    s('id_type'),
    s('id_value'),
    big('priority'),
    ts('first_seen_at'),
    ts('last_seen_at'),
    big('label'),
  ],
};

/** Output tables weft writes as tables (identity_occurrences is a view). */
export const WRITTEN_OUTPUTS = Object.keys(OUTPUT_TABLES).filter((name) => name !== 'identity_occurrences');

/** Tables that must all exist for an incremental run: outputs, state, and each source's processed rows. */
export function requiredTables(ctx: IdentityContext) {
  return [
    ...WRITTEN_OUTPUTS.map((name) => ctx.out(name)),
    ...Object.keys(STATE_TABLES).map((name) => ctx.state(name)),
    ...ctx.config.sources.map((_, i) => ctx.state(`src_${i}`)),
  ];
}

/** Creates every output and state table empty (replacing existing ones), except profile_merges, which is kept. */
export async function resetTables(ctx: IdentityContext): Promise<void> {
  await ctx.run(ctx.d.createSchema(ctx.project.config.schema));
  await ctx.run(ctx.d.createSchema(ctx.project.config.state_schema));
  const occurrences = ctx.out('identity_occurrences');
  const kind = await relationKind(ctx.warehouse, occurrences);
  if (kind) await ctx.run(ctx.d.dropRelation(occurrences, kind));
  for (const name of WRITTEN_OUTPUTS) {
    const columns = OUTPUT_TABLES[name] ?? [];
    await ctx.run(ctx.d.createTable(ctx.out(name), columns, { replace: name !== 'profile_merges' }));
  }
  for (const [name, columns] of Object.entries(STATE_TABLES)) {
    await ctx.run(ctx.d.createTable(ctx.state(name), columns, { replace: true }));
  }
}
