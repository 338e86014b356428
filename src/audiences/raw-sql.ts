/**
 * `sql:` audiences: the user's SELECT (returning profile_id; ids not in profiles are dropped,
 * duplicates collapse) rendered like a model, so
 * {{ref 'model'}}, {{source 's' 't'}} and {{var 'name'}} work and {{this}} is the audience's
 * own view; the result keeps its trailing newline so a closing `-- comment` cannot swallow
 * what follows. Other audiences are read by their view name (weft.audience_x); weft does not see
 * those reads, so such an audience is not ordered after them.
 */
import { renderScopeFor } from '../compiler/compile.js';
import { CompileError } from '../compiler/errors.js';
import { renderModel } from '../compiler/render.js';
import type { Project } from '../config/types.js';
import type { Dialect } from '../warehouse/types.js';

/** The rendered SELECT of a raw audience, or an Error whose message names the problem. */
export function renderAudienceSql(
  project: Project,
  dialect: Dialect,
  audience: { name: string; path: string; sql: string },
): string {
  const model = {
    name: `audience_${audience.name}`,
    path: audience.path,
    sql: audience.sql,
    config: { materialized: 'view' as const, tags: [], enabled: true },
  };
  try {
    return renderModel(model, renderScopeFor(project, dialect), { isIncremental: false }).sql;
  } catch (error) {
    if (error instanceof CompileError)
      throw new Error(`sql: ${error.issues.map((i) => i.message).join('; ')}`);
    throw error;
  }
}
