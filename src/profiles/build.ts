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
import { profiledRows, unitSelect } from './trait-sql.js';
import { type SharedSource, sharedSources, type TraitUnit, traitUnits, unitTraitNames } from './units.js';

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
  const units = traitUnits(traits);
  const scratch = units.map((_unit, i) => scratchRelation(tables.profiles, `trait_${i}`));
  const sources = sharedSources(traits);
  const sourceScratch = sources.map((_source, i) => scratchRelation(tables.profiles, `source_${i}`));
  try {
    const shared = new Map<string, RelationRef>();
    for (const [i, source] of sources.entries()) {
      const into = sourceScratch[i] as RelationRef;
      if (await joinSharedSource(warehouse, source, into, tables.identityRows))
        shared.set(source.input.from, into);
    }
    for (const [i, unit] of units.entries()) {
      await computeUnit(warehouse, unit, scratch[i] as RelationRef, tables.identityRows, shared);
    }
    const select = profilesSelect(warehouse, traits, units, scratch, tables.identityMap);
    const outcome = await materializeTable(warehouse, tables.profiles, select);
    return { profiles: outcome.rows_total ?? 0, traits: traits.map((t) => t.name), ms: Date.now() - started };
  } finally {
    await dropQuietly(warehouse, [...scratch, ...sourceScratch]);
  }
}

/**
 * Joins a source read by several pick traits to identity_rows once. False when that fails
 * (e.g. a misspelt column): the traits then read the source themselves and the failing one
 * reports the error under its own name.
 */
async function joinSharedSource(
  warehouse: Warehouse,
  source: SharedSource,
  into: RelationRef,
  identityRows: RelationRef,
): Promise<boolean> {
  const { dialect } = warehouse;
  const columns = source.columns.map((c) => `weft_src.${dialect.quoteIdent(c)}`).join(', ');
  try {
    await warehouse.execute(
      dialect.createTableAs(into, profiledRows(dialect, source.input, identityRows, columns)),
    );
    return true;
  } catch {
    return false;
  }
}

/** Runs one unit into `into`; when a shared aggregate scan fails, finds and names the trait at fault. */
async function computeUnit(
  warehouse: Warehouse,
  unit: TraitUnit,
  into: RelationRef,
  identityRows: RelationRef,
  shared: ReadonlyMap<string, RelationRef>,
): Promise<void> {
  const run = (u: TraitUnit) =>
    warehouse.execute(
      warehouse.dialect.createTableAs(into, unitSelect(warehouse.dialect, u, identityRows, shared)),
    );
  try {
    await run(unit);
  } catch (error) {
    const names = unitTraitNames(unit);
    if (unit.kind === 'expr' && unit.traits.length > 1) {
      for (const trait of unit.traits)
        await computeUnit(warehouse, { kind: 'expr', traits: [trait] }, into, identityRows, shared);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProfilesError(`could not be computed: ${reason}`, names.join("', '"));
  }
}

/** Every profile id, left-joined to each unit's per-profile values; columns in profiles.yml order. */
function profilesSelect(
  warehouse: Warehouse,
  traits: TraitPlan[],
  units: TraitUnit[],
  scratch: RelationRef[],
  identityMap: RelationRef,
): string {
  const { dialect } = warehouse;
  const unitOf = new Map<string, number>();
  units.forEach((unit, i) => {
    for (const name of unitTraitNames(unit)) unitOf.set(name, i);
  });
  const columns = traits.map((t) => {
    const i = unitOf.get(t.name);
    const name = dialect.quoteIdent(t.name);
    if (t.kind === 'pick') return `weft_t${i}.${name}`;
    // An aggregate for a profile without source rows is the aggregate over no rows.
    return `CASE WHEN weft_t${i}.profile_id IS NULL THEN weft_e${i}.${name} ELSE weft_t${i}.${name} END AS ${name}`;
  });
  const joins = scratch.flatMap((ref, i) => [
    `LEFT JOIN ${dialect.qualify(ref)} AS weft_t${i} ON weft_t${i}.profile_id = weft_ids.profile_id`,
    ...(units[i]?.kind === 'expr'
      ? [`CROSS JOIN (SELECT * FROM ${dialect.qualify(ref)} WHERE profile_id IS NULL) AS weft_e${i}`]
      : []),
  ]);
  return [
    `SELECT ${['weft_ids.profile_id', ...columns].join(', ')}`,
    `FROM (SELECT DISTINCT profile_id FROM ${dialect.qualify(identityMap)}) AS weft_ids`,
    ...joins,
  ].join('\n');
}
