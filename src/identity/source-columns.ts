/** An identity source's id columns resolved to id types, in priority order, with column names used in work tables. */
import type { IdentityContext, IdType } from './context.js';
import type { IdentitySource } from './row-key.js';

/** One id column of a source. Work-table columns are suffixed with the type's priority. */
export interface SourceIdColumn {
  type: IdType;
  /** The column in the source relation. */
  column: string;
  raw: string;
  norm: string;
  reason: string;
  hub: string;
  /** Why a hub is never merged on: 'hub' or 'shared' (NULL when not a hub). */
  hubReason: string;
}

/** A source with its id columns sorted by type priority (highest first). */
export interface ResolvedSource {
  index: number;
  source: IdentitySource;
  ids: SourceIdColumn[];
}

/** Resolves every identity source. */
export function resolveSources(ctx: IdentityContext): ResolvedSource[] {
  return ctx.config.sources.map((source, index) => {
    const ids = Object.entries(source.ids)
      .map(([typeName, column]) => {
        const type = ctx.types.find((t) => t.name === typeName);
        if (!type) throw new Error(`identity source ${source.from}: unknown id type '${typeName}'`);
        const p = type.priority;
        return {
          type,
          column,
          raw: `raw_${p}`,
          norm: `norm_${p}`,
          reason: `reason_${p}`,
          hub: `hub_${p}`,
          hubReason: `hubr_${p}`,
        };
      })
      .sort((a, b) => a.type.priority - b.type.priority);
    return { index, source, ids };
  });
}
