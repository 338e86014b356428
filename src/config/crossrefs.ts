/**
 * Cheap checks across files: references to connections, models, source tables, audiences and
 * id types must exist. (Model-to-model refs and cycles are the compiler's job.)
 */

import { unknownDbtModelMessage } from '../dbt/check.js';
import type { LoadedDbt } from '../dbt/source.js';
import { didYouMean } from '../util/suggest.js';
import { audienceViewNames, checkAudienceReferences } from './audience-refs.js';
import type { ConfigIssue, PathSegment } from './issues.js';
import type { LoadedFile } from './load-yaml.js';
import type { AudienceConfig } from './schemas/audience.js';
import type { IdentityConfig } from './schemas/identity.js';
import type { ProfilesConfig } from './schemas/profiles.js';
import type { SyncConfig } from './schemas/sync.js';
import type { ModelDef, SourceDef } from './types.js';
import { issueAt } from './yaml.js';

/** What the references may point at, and the files that hold references. */
export interface CrossRefInput {
  /** weft.yml's connections; undefined when weft.yml itself is invalid (its problems say why). */
  connections: string[] | undefined;
  models: ModelDef[];
  sources: SourceDef[];
  identity?: LoadedFile<{ identity: IdentityConfig }>;
  profiles?: LoadedFile<{ profiles: ProfilesConfig }>;
  audiences: LoadedFile<AudienceConfig>[];
  syncs: LoadedFile<SyncConfig>[];
  /** Consent purposes declared in weft.yml `privacy.consent` (syncs' `consent:` must use these). */
  consentPurposes?: string[];
  /** weft.yml's dbt project, when it has one (its models are the source `dbt`). */
  dbt?: LoadedDbt;
  /** weft.yml has `dbt:` but its manifest could not be read (already reported): skip `dbt.*`. */
  dbtUnreadable?: boolean;
}

/** Every broken reference, pointing at the referencing field. */
export function checkCrossReferences(input: CrossRefInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const relations = [
    ...input.models.map((m) => m.name),
    ...input.sources.flatMap((s) => s.tables.map((t) => `${s.name}.${t.name}`)),
  ];
  // A sync may read an audience or one arm of its splits (`audience.<name>_<arm>`).
  const audienceViews = audienceViewNames(input.audiences);
  const expect = (
    file: LoadedFile<unknown>,
    path: PathSegment[],
    name: string,
    known: string[],
    what: string,
  ) => {
    if (known.includes(name)) return;
    // An id type is a mapping key (`ids: { email: … }`): point at the key, not its value.
    const target = what === 'id type' ? 'key' : 'value';
    issues.push(issueAt(file.yaml, path, `unknown ${what} '${name}'${didYouMean(name, known)}`, target));
  };
  const relation = (file: LoadedFile<unknown>, path: PathSegment[], name: string) => {
    if (input.dbtUnreadable && name.startsWith('dbt.')) return;
    if (input.dbt && name.startsWith('dbt.') && !relations.includes(name))
      issues.push(issueAt(file.yaml, path, unknownDbtModelMessage(name, input.dbt)));
    else expect(file, path, name, relations, name.includes('.') ? 'source table' : 'model');
  };

  if (input.identity) {
    const { id_types, sources, blocklist } = input.identity.data.identity;
    const idTypes = Object.keys(id_types);
    for (const type of Object.keys(blocklist))
      expect(input.identity, ['identity', 'blocklist', type], type, idTypes, 'id type');
    sources.forEach((source, i) => {
      relation(input.identity!, ['identity', 'sources', i, 'from'], source.from);
      for (const type of Object.keys(source.ids)) {
        expect(input.identity!, ['identity', 'sources', i, 'ids', type], type, idTypes, 'id type');
      }
    });
  }
  if (input.profiles) {
    for (const [name, trait] of Object.entries(input.profiles.data.profiles.traits)) {
      const froms = Array.isArray(trait.from) ? trait.from : [trait.from];
      froms.forEach((from, i) => {
        const path = ['profiles', 'traits', name, 'from', ...(Array.isArray(trait.from) ? [i] : [])];
        relation(input.profiles!, path, from);
      });
    }
  }
  issues.push(
    ...checkAudienceReferences({
      traits: input.profiles && Object.keys(input.profiles.data.profiles.traits),
      identitySources: input.identity?.data.identity.sources.map((s) => s.from),
      models: input.models,
      sources: input.sources,
      audiences: input.audiences,
    }),
  );
  for (const sync of input.syncs) {
    const connection = sync.data.connection;
    if (input.connections && !input.connections.includes(connection)) {
      const hint = didYouMean(connection, input.connections);
      issues.push(
        issueAt(
          sync.yaml,
          ['connection'],
          `unknown connection '${connection}': not in weft.yml connections${hint}`,
        ),
      );
    }
    (sync.data.consent ?? []).forEach((purpose, index) => {
      const known = input.consentPurposes ?? [];
      if (!known.includes(purpose))
        issues.push(
          issueAt(
            sync.yaml,
            ['consent', index],
            `unknown consent purpose '${purpose}': weft.yml privacy.consent declares ${known.join(', ') || 'none'}`,
          ),
        );
    });
    const from = sync.data.from;
    if (from.startsWith('audience.'))
      expect(sync, ['from'], from.slice('audience.'.length), audienceViews, 'audience');
    // `profiles`: the unified profiles table the build writes (when there is a profiles.yml).
    else if (!(from === 'profiles' && input.profiles && !input.models.some((m) => m.name === from)))
      relation(sync, ['from'], from);
  }
  return issues;
}
