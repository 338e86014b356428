/** weft.yml `dbt:`: a dbt project whose models weft reads as the source `dbt`. Owned by the dbt-interop work. */
import { strictObject, text } from './common.js';

/** The `dbt:` block. */
export const dbtSchema = strictObject({
  project_dir: text.describe(
    "The dbt project's folder, relative to the weft project (holds dbt_project.yml)",
  ),
  manifest: text
    .optional()
    .describe("dbt's manifest.json, relative to project_dir (default target/manifest.json)"),
});

/** A validated `dbt:` block. */
export type DbtConfig = ReturnType<typeof dbtSchema.parse>;
