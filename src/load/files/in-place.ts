/**
 * The SELECT a DuckDB view runs to read files in place (file sources with `materialized: false`):
 * the files' patterns (so files added later are read too) with the exact numeric types the
 * current files need, decided now (see numeric-text.ts) and again at every build.
 */
import type { Warehouse } from '../../warehouse/types.js';
import { resolveFormat } from './format.js';
import type { FileFormat } from './index.js';
import { exactTypes, numericShapes } from './numeric-text.js';
import { absolutePattern, expandPatterns } from './paths.js';
import { planRead } from './plan.js';
import type { ReadOptions } from './spec.js';

/** The SELECT reading `patterns` in place, after checking each matches a non-empty file. */
export async function inPlaceSelect(
  warehouse: Warehouse,
  projectDir: string,
  patterns: string[],
  format: FileFormat,
  options: ReadOptions,
): Promise<string> {
  await expandPatterns(warehouse, projectDir, patterns);
  const spec = {
    ...options,
    files: patterns.map((p) => absolutePattern(projectDir, p)),
    format: resolveFormat(format, patterns),
    projectDir,
  };
  const plan = await planRead(warehouse, spec);
  const shapes = await numericShapes(warehouse, `(${plan.select()})`, plan.numericText);
  const exact = exactTypes(shapes, plan.declared);
  return plan.select(undefined, { ...exact.types, ...exact.retry });
}
