/** Finds what a sync reads (its `from`) and names its state tables. */
import { modelRelation } from '../compiler/relation.js';
import type { Project, SyncConfig } from '../config/types.js';
import type { RelationRef } from '../warehouse/types.js';
import type { ConsentPurpose, ConsentRule, ResolvedSync } from './types.js';

/** A sync problem found before touching the destination (bad name, missing source…): exit 2 territory. */
export class SyncConfigError extends Error {
  override name = 'SyncConfigError';
}

/**
 * The destination cannot be used right now (its quota is used up, it keeps answering 429 or 5xx)
 * although the sync's config is fine: a failure of this run (exit 1), not a config error.
 */
export class SyncUnavailableError extends Error {
  override name = 'SyncUnavailableError';
}

/**
 * The relation behind a sync's `from`: `audience.X` → view `audience_X` in the project schema,
 * a model name → the model's relation, `profiles` → the profiles table (when the project has
 * models/profiles.yml and no model of that name), `source.table` → the declared source table.
 */
export function sourceRelation(project: Project, from: string): RelationRef {
  if (from.startsWith('audience.')) {
    return { schema: project.config.schema, name: `audience_${from.slice('audience.'.length)}` };
  }
  const model = project.models.find((m) => m.name === from);
  if (model) return modelRelation(model, project.config.schema);
  if (from === 'profiles' && project.profiles) return { schema: project.config.schema, name: 'profiles' };
  const [sourceName, tableName, ...rest] = from.split('.');
  if (sourceName && tableName && rest.length === 0) {
    const source = project.sources.find((s) => s.name === sourceName);
    const table = source?.tables.find((t) => t.name === tableName);
    if (source && table) return { schema: table.schema ?? source.schema, name: table.identifier };
  }
  throw new SyncConfigError(
    `'${from}' is neither an audience, a model, profiles nor a declared source table`,
  );
}

/** Resolves one sync config against the project. */
export function resolveSync(project: Project, config: SyncConfig): ResolvedSync {
  const stateSchema = project.config.state_schema;
  return {
    config,
    source: sourceRelation(project, config.from),
    snapshot: { schema: stateSchema, name: `snapshot_${config.name}` },
    plan: { schema: stateSchema, name: `plan_${config.name}` },
    stateSchema,
    ...(config.consent &&
      config.consent.length > 0 && {
        consent: consentRule(project, config.consent),
      }),
  };
}

/** The consent rule of a sync needing `purposes` (weft.yml `privacy.consent`). */
function consentRule(project: Project, purposes: string[]): ConsentRule {
  const declared = project.config.privacy?.consent ?? {};
  const of = (purpose: string): ConsentPurpose | undefined => {
    const spec = declared[purpose];
    if (spec === undefined) return undefined;
    if (typeof spec === 'string') return { trait: spec };
    let source: ConsentPurpose['source'];
    if (spec.source && spec.column) {
      const identity = project.identity?.sources.find((s) => s.from === spec.source);
      const [sourceName, tableName] = spec.source.split('.');
      const table = project.sources.find((s) => s.name === sourceName);
      const def = table?.tables.find((t) => t.name === tableName);
      source = {
        from: spec.source,
        column: spec.column,
        ...(table && def && { relation: { schema: def.schema ?? table.schema, name: def.identifier } }),
        ...(identity && { identity }),
      };
    }
    return {
      ...(spec.trait && { trait: spec.trait }),
      ...(spec.events && {
        events: {
          category: spec.events,
          userIdType: spec.user_id_type,
          anonymousIdType: spec.anonymous_id_type,
        },
      }),
      ...(source && { source }),
    };
  };
  return {
    profiles: { schema: project.config.schema, name: 'profiles' },
    schema: project.config.schema,
    eventsSchema: project.config.events?.schema ?? 'events',
    purposes: Object.fromEntries(purposes.map((p) => [p, of(p)])),
  };
}

/**
 * The syncs named on the command line (all of them when none is named), in the given order.
 * An unknown name throws a SyncConfigError listing the known ones.
 */
export function selectSyncs(project: Project, names: string[]): SyncConfig[] {
  const all = project.syncs.map((s) => s.value);
  if (names.length === 0) return all;
  return names.map((name) => {
    const found = all.find((s) => s.name === name);
    if (!found) {
      const known = all.map((s) => s.name).join(', ') || 'none (add syncs/*.yml)';
      throw new SyncConfigError(`unknown sync '${name}'; known syncs: ${known}`);
    }
    return found;
  });
}
