/**
 * How traits are grouped into statements: aggregates over one source share one scan, and a
 * source read by several pick traits is joined to identity_rows once, into a scratch table.
 */
import type { TraitInput, TraitPlan } from './plan.js';

/** Traits computed by one statement: one pick trait, or aggregate traits over the same source. */
export type TraitUnit =
  | { kind: 'pick'; trait: Extract<TraitPlan, { kind: 'pick' }> }
  | { kind: 'expr'; traits: Array<Extract<TraitPlan, { kind: 'expr' }>> };

/** Groups traits into units: aggregates over one source share a scan, in profiles.yml order. */
export function traitUnits(traits: TraitPlan[]): TraitUnit[] {
  const units: TraitUnit[] = [];
  const bySource = new Map<string, Extract<TraitUnit, { kind: 'expr' }>>();
  for (const trait of traits) {
    if (trait.kind === 'pick') {
      units.push({ kind: 'pick', trait });
      continue;
    }
    const unit = bySource.get(trait.input.from);
    if (unit) unit.traits.push(trait);
    else {
      const created = { kind: 'expr' as const, traits: [trait] };
      bySource.set(trait.input.from, created);
      units.push(created);
    }
  }
  return units;
}

/** The names of a unit's traits, which are also its columns besides `profile_id`. */
export function unitTraitNames(unit: TraitUnit): string[] {
  return unit.kind === 'pick' ? [unit.trait.name] : unit.traits.map((t) => t.name);
}

/** A source joined to identity_rows once for several pick traits: the columns they read. */
export interface SharedSource {
  input: TraitInput;
  columns: string[];
}

/** Sources that two or more pick traits read, with every column those traits need from them. */
export function sharedSources(traits: TraitPlan[]): SharedSource[] {
  const bySource = new Map<string, { input: TraitInput; readers: number; columns: Set<string> }>();
  for (const trait of traits) {
    if (trait.kind !== 'pick') continue;
    for (const input of trait.inputs) {
      const entry = bySource.get(input.from) ?? { input, readers: 0, columns: new Set<string>() };
      entry.readers += 1;
      entry.columns.add(trait.column);
      if (input.orderColumn) entry.columns.add(input.orderColumn);
      bySource.set(input.from, entry);
    }
  }
  return [...bySource.values()]
    .filter((entry) => entry.readers > 1)
    .map((entry) => ({ input: entry.input, columns: [...entry.columns] }));
}
