/** A model's config: its leading `/* config: … *\/` block or its sidecar `.yml`. */
import { z } from 'zod';
import { strictObject, stringOrList, text } from './common.js';

/** The `config:` mapping. */
export const modelConfigSchema = strictObject({
  materialized: z.enum(['view', 'table', 'incremental']).default('view'),
  unique_key: stringOrList
    .optional()
    .describe('incremental: column(s) identifying a row; without it new rows are only appended'),
  schema: text.optional().describe('Write this model to another schema than the project one'),
  description: z.string().optional(),
  tags: z.array(text).default([]),
  enabled: z.boolean().default(true),
});

/** A sidecar file or comment block: `config:` plus an optional description. */
export const modelConfigFileSchema = strictObject({
  config: modelConfigSchema.default({ materialized: 'view', tags: [], enabled: true }),
  description: z.string().optional(),
});

/** A model's validated config. */
export type ModelConfigValue = z.output<typeof modelConfigSchema>;
