/**
 * Which dbt models a sync reads, directly (`from: dbt.x`) or through weft's own lineage:
 * sync → audience or profiles → traits and identity sources → weft models → `{{source 'dbt' …}}`.
 */
import { type CompiledProject, compileProject } from '../compiler/compile.js';
import type { Project, SyncConfig } from '../config/types.js';
import { getEngine } from '../warehouse/registry.js';
import { compare } from './manifest.js';
import { DBT_SOURCE } from './source.js';

/** Resolves the dbt models behind weft relations; compiles the project once. */
export class DbtLineage {
  private compiled?: CompiledProject;

  constructor(private readonly project: Project) {}

  /** The dbt model names a sync reads, sorted. */
  modelsOfSync(sync: SyncConfig): string[] {
    return sorted(this.modelsOf(sync.from, new Set()));
  }

  /** The dbt model names every sync reads, sorted. */
  modelsOfSyncs(syncs: SyncConfig[]): string[] {
    return sorted(new Set(syncs.flatMap((s) => this.modelsOfSync(s))));
  }

  /** Every dbt model the project reads: its syncs, identity, profiles and weft models. */
  modelsOfProject(): string[] {
    const found = new Set<string>();
    const froms = [
      ...this.project.syncs.map((s) => s.value.from),
      ...this.profileInputs(),
      ...this.project.models.filter((m) => m.config.enabled).map((m) => m.name),
    ];
    for (const from of froms) for (const model of this.modelsOf(from, new Set())) found.add(model);
    return sorted(found);
  }

  private modelsOf(from: string, seen: Set<string>): Set<string> {
    const found = new Set<string>();
    if (seen.has(from)) return found;
    seen.add(from);
    const add = (names: Iterable<string>) => {
      for (const n of names) found.add(n);
    };
    if (from.startsWith(`${DBT_SOURCE}.`)) found.add(from.slice(DBT_SOURCE.length + 1));
    else if (from.startsWith('audience.') || (from === 'profiles' && !this.isModel(from))) {
      // Audiences are built on the profiles: every trait and identity source feeds them.
      for (const input of this.profileInputs()) add(this.modelsOf(input, seen));
    } else if (!from.includes('.')) {
      const model = this.compiledProject().models.find((m) => m.name === from);
      for (const source of model?.depends_on.sources ?? []) add(this.modelsOf(source, seen));
      for (const parent of model?.depends_on.models ?? []) add(this.modelsOf(parent, seen));
    }
    return found;
  }

  private profileInputs(): string[] {
    const traits = Object.values(this.project.profiles?.traits ?? {}).flatMap((t) =>
      Array.isArray(t.from) ? t.from : [t.from],
    );
    return [...traits, ...(this.project.identity?.sources.map((s) => s.from) ?? [])];
  }

  private isModel(name: string): boolean {
    return this.project.models.some((m) => m.name === name);
  }

  private compiledProject(): CompiledProject {
    this.compiled ??= compileProject(this.project, getEngine(this.project.config.warehouse.type).dialect);
    return this.compiled;
  }
}

function sorted(names: Set<string>): string[] {
  return [...names].sort(compare);
}
