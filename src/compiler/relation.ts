import type { ModelDef } from '../config/types.js';
import type { RelationRef } from '../warehouse/types.js';

/** Where a model is written: its own `schema` config, else the project schema; named after the file. */
export function modelRelation(model: ModelDef, projectSchema: string): RelationRef {
  return { schema: model.config.schema ?? projectSchema, name: model.name };
}
