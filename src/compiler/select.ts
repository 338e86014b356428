/**
 * `--select` semantics (dbt style): `name` selects the model, `+name` also its ancestors,
 * `name+` also its descendants, `+name+` both. Several selectors are separated by commas or
 * spaces and their selections are united.
 */

import { didYouMean } from '../util/suggest.js';
import { type ModelDag, relatives } from './dag.js';
import { CompileError } from './errors.js';

/** Model names selected by `selector`; throws a `CompileError` for unknown model names. */
export function selectModels(dag: ModelDag, selector: string): Set<string> {
  const terms = selector.split(/[\s,]+/).filter((term) => term.length > 0);
  if (terms.length === 0) {
    throw new CompileError([{ file: '--select', message: 'empty selection: name at least one model' }]);
  }
  const selected = new Set<string>();
  const unknown: string[] = [];
  for (const term of terms) {
    const withAncestors = term.startsWith('+');
    const withDescendants = term.endsWith('+') && term.length > 1;
    const name = term.slice(withAncestors ? 1 : 0, withDescendants ? -1 : undefined);
    if (!dag.parents.has(name)) {
      unknown.push(`'${name}' is not a model${didYouMean(name, dag.parents.keys())}`);
      continue;
    }
    selected.add(name);
    if (withAncestors) for (const model of relatives(dag, name, 'up')) selected.add(model);
    if (withDescendants) for (const model of relatives(dag, name, 'down')) selected.add(model);
  }
  if (unknown.length > 0) {
    throw new CompileError(unknown.map((message) => ({ file: '--select', message })));
  }
  return selected;
}
