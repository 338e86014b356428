/**
 * Identity quality: the resolver's output (identity_rows) measured against the demo seed's
 * ground truth, side by side with a naive resolver. See README.md for what is measured.
 */
import type { Project } from '../config/types.js';
import type { IdentitySource } from '../identity/row-key.js';
import type { Warehouse } from '../warehouse/types.js';
import { buildNaiveIdentity, type NaiveReport } from './naive.js';
import { scoreResolution } from './score.js';
import { type QualitySource, qualitySources } from './sources.js';
import { qualityTables } from './tables.js';
import { prepareTruth } from './truth.js';
import type { QualityReport } from './types.js';

export { overMergeCauses } from './causes.js';
export { connectedComponents } from './components.js';
export { type MisplacedRecord, overMergedProfiles, splitRecords } from './diagnostics.js';
export { buildNaiveIdentity, type NaiveReport } from './naive.js';
export { scoreResolution } from './score.js';
export { type QualitySource, qualitySources } from './sources.js';
export { type QualityTables, qualityTables } from './tables.js';
export { prepareTruth } from './truth.js';
export type { BCubedScores, OverMergeCauses, PairwiseScores, QualityReport } from './types.js';

/** Options of the quality measurement. */
export interface QualityOptions {
  /** SQL of the row key the resolver wrote in identity_rows, per source (default: rowKeyExpr). */
  rowKey?: (source: IdentitySource) => string;
  /** Skip rebuilding the truth tables (quality_ids, quality_records) when they are current. */
  truthReady?: boolean;
}

function sourcesOf(warehouse: Warehouse, project: Project, options: QualityOptions): QualitySource[] {
  return qualitySources(project, warehouse.dialect, options.rowKey);
}

/**
 * Measures the real resolver's identity_rows against truth.row_person. Needs the seeded raw and
 * truth tables, the identity sources built, and identity_rows written (buildIdentity).
 */
export async function measureIdentityQuality(
  warehouse: Warehouse,
  project: Project,
  options: QualityOptions = {},
): Promise<QualityReport> {
  if (!options.truthReady) await prepareTruth(warehouse, project, sourcesOf(warehouse, project, options));
  return scoreResolution(warehouse, project, qualityTables(project).identityRows, 'weft');
}

/** Builds the naive resolver and measures it the same way (truth tables must be ready). */
export async function measureNaiveQuality(
  warehouse: Warehouse,
  project: Project,
  options: QualityOptions = {},
): Promise<{ report: QualityReport; naive: NaiveReport }> {
  const sources = sourcesOf(warehouse, project, options);
  if (!options.truthReady) await prepareTruth(warehouse, project, sources);
  const naive = await buildNaiveIdentity(warehouse, project, sources);
  const report = await scoreResolution(warehouse, project, qualityTables(project).naiveRows, 'naive');
  return { report, naive };
}
