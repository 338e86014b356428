/** Names of the tables the quality measurement writes, all in the project schema. */
import type { Project } from '../config/types.js';
import type { RelationRef } from '../warehouse/types.js';

/** The relations written (and read) by src/identity-quality. */
export interface QualityTables {
  /** One row per (identity source row, identifier) with the true person and canonical value. */
  ids: RelationRef;
  /** One row per identity source row with an identifier: its person and truth cluster. */
  records: RelationRef;
  /** Scratch: labels of the truth clustering. */
  truthLabels: RelationRef;
  /** The real resolver's row → profile table (contract: identity_rows). */
  identityRows: RelationRef;
  /** The naive resolver's row → profile table. */
  naiveRows: RelationRef;
  /** Scratch: labels of the naive resolver's components. */
  naiveLabels: RelationRef;
  /** Scratch: the naive resolver's identifiers per row. */
  naiveIds: RelationRef;
}

/** The quality tables of `project`. */
export function qualityTables(project: Project): QualityTables {
  const at = (name: string): RelationRef => ({ schema: project.config.schema, name });
  return {
    ids: at('quality_ids'),
    records: at('quality_records'),
    truthLabels: at('quality_truth_labels'),
    identityRows: at('identity_rows'),
    naiveRows: at('naive_identity_rows'),
    naiveLabels: at('naive_labels'),
    naiveIds: at('naive_ids'),
  };
}
