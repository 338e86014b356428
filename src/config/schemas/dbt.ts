/** weft.yml `dbt:`: a dbt project whose models weft reads as the source `dbt`. Owned by the dbt-interop work. */
import { strictObject, text } from './common.js';

/** The `dbt:` block. */
export const dbtSchema = strictObject({
  project_dir: text.describe(
    "The dbt project's folder, relative to the weft project (holds dbt_project.yml)",
  ),
  manifest: text
    .optional()
    .describe(
      "dbt's manifest.json, relative to project_dir (default target/manifest.json); run_results.json and catalog.json are read beside it",
    ),
  owner: strictObject({
    name: text.optional(),
    email: text.optional(),
  })
    .optional()
    .describe('Owner of the exposures `weft dbt exposures` writes (default: the weft project name)'),
});

/** A validated `dbt:` block. */
export type DbtConfig = ReturnType<typeof dbtSchema.parse>;
