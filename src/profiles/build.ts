/**
 * Builds the `profiles` table: one row per profile id in identity_map, one column per trait.
 * Each trait is computed into its own scratch table (so a failure names the trait), then one
 * join is materialized and swapped in atomically.
 */
import { materializeTable } from '../build/materialize-table.js';
import { dropQuietly, relationKind, scratchRelation } from '../build/relations.js';
import type { Project } from '../config/types.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { ProfilesError } from './errors.js';
import { planTraits, type TraitPlan } from './plan.js';
import { traitSelect } from './trait-sql.js';

/** What `buildProfiles` did. */
export interface ProfilesReport {
  /** Rows in `profiles` (= profile ids in identity_map). */
  profiles: number;
  /** Trait columns, in profiles.yml order. */
  traits: string[];
  ms: number;
}

/** The identity and profiles tables of a project (all in its schema). */
export function profileTables(
  project: Project,
): Record<'identityMap' | 'identityRows' | 'profiles', RelationRef> {
  const schema = project.config.schema;
  return {
    identityMap: { schema, name: 'identity_map' },
    identityRows: { schema, name: 'identity_rows' },
    profiles: { schema, name: 'profiles' },
  };
}

/** Computes every trait and replaces `profiles`. Needs identity_map and identity_rows built. */
export async function buildProfiles(project: Project, warehouse: Warehouse): Promise<ProfilesReport> {
  const started = Date.now();
  const { dialect } = warehouse;
  const tables = profileTables(project);
  const traits = planTraits(project, dialect);
  for (const ref of [tables.identityMap, tables.identityRows]) {
    if (!(await relationKind(warehouse, ref))) {
      throw new Error(`${dialect.qualify(ref)} does not exist: profiles are built after the identity graph`);
    }
  }
  const scratch = traits.map((_trait, i) => scratchRelation(tables.profiles, `trait_${i}`));
  try {
    for (const [i, trait] of traits.entries()) {
      await computeTrait(warehouse, trait, scratch[i] as RelationRef, tables.identityRows);
    }
    const outcome = await materializeTable(
      warehouse,
      tables.profiles,
      profilesSelect(warehouse, traits, scratch, tables.identityMap),
    );
    return { profiles: outcome.rows_total ?? 0, traits: traits.map((t) => t.name), ms: Date.now() - started };
  } finally {
    await dropQuietly(warehouse, scratch);
  }
}

async function computeTrait(
  warehouse: Warehouse,
  trait: TraitPlan,
  into: RelationRef,
  identityRows: RelationRef,
): Promise<void> {
  try {
    await warehouse.execute(
      warehouse.dialect.createTableAs(into, traitSelect(warehouse.dialect, trait, identityRows)),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProfilesError(`could not be computed: ${reason}`, trait.name);
  }
}

/** Every profile id, left-joined to each trait's per-profile value. */
function profilesSelect(
  warehouse: Warehouse,
  traits: TraitPlan[],
  scratch: RelationRef[],
  identityMap: RelationRef,
): string {
  const { dialect } = warehouse;
  const columns = traits.map((trait, i) => `weft_t${i}.value AS ${dialect.quoteIdent(trait.name)}`);
  const joins = scratch.map(
    (ref, i) =>
      `LEFT JOIN ${dialect.qualify(ref)} AS weft_t${i} ON weft_t${i}.profile_id = weft_ids.profile_id`,
  );
  return [
    `SELECT ${['weft_ids.profile_id', ...columns].join(', ')}`,
    `FROM (SELECT DISTINCT profile_id FROM ${dialect.qualify(identityMap)}) AS weft_ids`,
    ...joins,
  ].join('\n');
}
