/**
 * Turns profiles.yml into a plan: each trait with the identity sources it reads, their
 * relations, row keys and ordering columns. All config errors surface here, before any SQL runs.
 */
import type { Project, TraitConfig } from '../config/types.js';
import { resolveFrom } from '../identity/relations.js';
import { rowKeyExpr } from '../identity/row-key.js';
import type { Dialect, RelationRef } from '../warehouse/types.js';
import { ProfilesError } from './errors.js';
import { type IdentifierCheck, identifierChecks } from './identifiers.js';

/** How a column trait chooses one value per profile. */
export type PickRule = 'most_recent' | 'first' | 'most_frequent' | 'source_priority';

/** One identity source a trait reads. */
export interface TraitInput {
  /** The `from` text, as identity_rows.source holds it. */
  from: string;
  relation: RelationRef;
  /** SQL over the relation's columns: the row key identity_rows joins on. */
  rowKey: string;
  /** Column ordering rows (order_by, else the identity source's timestamp), if any. */
  orderColumn?: string;
  /** For a column trait: the id types that column holds in this source (their refused values are left out). */
  identifiers?: IdentifierCheck[];
}

/** A trait ready to be turned into SQL. */
export type TraitPlan =
  | { name: string; kind: 'pick'; column: string; pick: PickRule; inputs: TraitInput[] }
  | { name: string; kind: 'expr'; expr: string; input: TraitInput };

/** The traits of a project, in profiles.yml order. Throws ProfilesError on a bad trait. */
export function planTraits(project: Project, dialect: Dialect): TraitPlan[] {
  const traits = Object.entries(project.profiles?.traits ?? {});
  if (traits.length > 0 && !project.identity) {
    throw new ProfilesError('traits are computed through the identity graph: add models/identity.yml');
  }
  const seen = new Map<string, string>();
  return traits.map(([name, trait]) => {
    const folded = name.toLowerCase();
    if (folded === 'profile_id') throw new ProfilesError("'profile_id' is the profile's own column", name);
    const clash = seen.get(folded);
    if (clash !== undefined)
      throw new ProfilesError(`clashes with trait '${clash}' (names are case-insensitive)`, name);
    seen.set(folded, name);
    return planTrait(project, dialect, name, trait);
  });
}

function planTrait(project: Project, dialect: Dialect, name: string, trait: TraitConfig): TraitPlan {
  const froms = Array.isArray(trait.from) ? trait.from : [trait.from];
  const inputs = froms.map((from) => traitInput(project, dialect, name, from, trait.order_by));
  if (trait.expr !== undefined) {
    const [input] = inputs;
    if (inputs.length !== 1 || !input) {
      throw new ProfilesError("an 'expr' trait reads one relation: give 'from' a single name", name);
    }
    return { name, kind: 'expr', expr: trait.expr, input };
  }
  const column = trait.column as string;
  const pick: PickRule = trait.pick ?? (inputs.length > 1 ? 'source_priority' : 'most_recent');
  if (pick === 'most_recent' || pick === 'first') {
    const unordered = inputs.find((input) => input.orderColumn === undefined);
    if (unordered) {
      throw new ProfilesError(
        `pick: ${pick} needs 'order_by' (or a 'timestamp' on identity source '${unordered.from}')`,
        name,
      );
    }
  }
  const identity = project.identity;
  const checked = inputs.map((input) => {
    const identifiers = identity ? identifierChecks(identity, input.from, column) : [];
    return identifiers.length > 0 ? { ...input, identifiers } : input;
  });
  return { name, kind: 'pick', column, pick, inputs: checked };
}

function traitInput(
  project: Project,
  dialect: Dialect,
  trait: string,
  from: string,
  orderBy: string | undefined,
): TraitInput {
  const sources = project.identity?.sources ?? [];
  const source = sources.find((s) => s.from === from);
  if (!source) {
    const known = sources.map((s) => s.from).join(', ') || 'none';
    throw new ProfilesError(
      `'${from}' is not an identity source, so its rows belong to no profile (identity.yml sources: ${known})`,
      trait,
    );
  }
  const orderColumn = orderBy ?? source.timestamp;
  return {
    from,
    relation: resolveFrom(project, from),
    rowKey: rowKeyExpr(dialect, source),
    ...(orderColumn === undefined ? {} : { orderColumn }),
  };
}
