/**
 * The identity sources as the quality measurement sees them: where each one's rows live, which
 * raw seeded table (and key column) its rows come from, and its identifier columns.
 */
import { compileProject } from '../compiler/compile.js';
import type { Project } from '../config/types.js';
import { resolveFrom } from '../identity/relations.js';
import { type IdentitySource, rowKeyExpr } from '../identity/row-key.js';
import { SOURCE_TABLES, tableName } from '../seed/index.js';
import type { Dialect, RelationRef } from '../warehouse/types.js';

/** One identity source, ready for SQL. */
export interface QualitySource {
  /** The identity source's `from` text, the `source` value in identity_rows. */
  name: string;
  relation: RelationRef;
  /** `schema.table` of the seeded raw table the rows come from (truth.row_person.source_table). */
  truthTable: string;
  /** Column (kept by staging) holding the raw table's key: truth.row_person.row_key. */
  truthKeyColumn: string;
  /** SQL (over the source's columns) of the row key used in identity_rows. */
  rowKey: string;
  /** id type → column, in id type priority order (highest first). */
  ids: Array<{ type: string; column: string }>;
}

/** `source.table` names a model reads, following refs to other models. */
function upstreamSources(project: Project, dialect: Dialect, from: string): string[] {
  if (!project.models.some((m) => m.name === from)) return [from];
  const compiled = compileProject(project, dialect);
  const byName = new Map(compiled.models.map((m) => [m.name, m]));
  const found = new Set<string>();
  const visit = (name: string) => {
    const model = byName.get(name);
    if (!model) return;
    for (const s of model.depends_on.sources) found.add(s);
    for (const m of model.depends_on.models) visit(m);
  };
  visit(from);
  return [...found];
}

/**
 * The identity sources of `project` mapped to the seeded tables. `rowKey` builds the row key
 * the resolver wrote (default: the identity build's own rowKeyExpr).
 */
export function qualitySources(
  project: Project,
  dialect: Dialect,
  rowKey?: (source: IdentitySource) => string,
): QualitySource[] {
  const identity = project.identity;
  if (!identity) throw new Error('the project has no models/identity.yml');
  const priority = Object.keys(identity.id_types);
  return identity.sources.map((source) => {
    const upstream = upstreamSources(project, dialect, source.from);
    if (upstream.length !== 1) {
      throw new Error(
        `identity source '${source.from}' must read exactly one seeded table (reads ${upstream.join(', ') || 'none'})`,
      );
    }
    const sourceRelation = resolveFrom(project, upstream[0] as string);
    const truthTable = `${sourceRelation.schema}.${sourceRelation.name}`;
    const seeded = SOURCE_TABLES.find((t) => tableName(t) === truthTable);
    if (!seeded)
      throw new Error(`identity source '${source.from}' reads ${truthTable}, which is not a seeded table`);
    const ids = Object.entries(source.ids)
      .map(([type, column]) => ({ type, column }))
      .sort((a, b) => priority.indexOf(a.type) - priority.indexOf(b.type));
    return {
      name: source.from,
      relation: resolveFrom(project, source.from),
      truthTable,
      truthKeyColumn: seeded.keyColumn,
      rowKey: rowKey ? rowKey(source) : rowKeyExpr(dialect, source),
      ids,
    };
  });
}
