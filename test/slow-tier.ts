/**
 * Test files CI runs after the default suite (`npm run test:slow`), kept out of `npm test` so it
 * stays under ten minutes on two cores: whole-pipeline runs on the emulated BigQuery and
 * Snowflake, random SIGKILL and SIGTERM campaigns against real processes, the scripted new-user
 * walk on two engines, packing the package, and the longest runs of the compiled CLI through
 * whole projects on several engines. None is skipped: `.ci/run` runs both tiers.
 */
export const SLOW_TESTS = [
  'test/warehouse/snowflake-e2e.test.ts',
  'test/warehouse/bigquery-e2e.test.ts',
  'test/serve/serve-kill.test.ts',
  'test/cli/sync-kill.test.ts',
  'test/identity/merges-kill.test.ts',
  'test/serve/serve-triggers-kill.test.ts',
  'test/serve/triggers-landing-kill.test.ts',
  'test/privacy/kill-run.test.ts',
  'test/cli/run-status-kill.test.ts',
  'test/schedule/schedule-sigterm.test.ts',
  'test/cli/sync-sigterm.test.ts',
  'test/cli/own-data-walk.test.ts',
  'test/package/pack-install.test.ts',
  // The compiled CLI through whole projects, on several engines (20-45 s each on 2 cores).
  'test/privacy/privacy-cli.test.ts',
  'test/privacy/erasure-e2e.test.ts',
  'test/cli/init-build.test.ts',
  'test/warehouse/duckdb-lock-cli.test.ts',
  'test/serve/profile-api-cli.test.ts',
  'test/identity/messy-data.engines.test.ts',
  'test/dbt/dbt-sync-cli.test.ts',
  'test/realtime/triggers/trigger-cli.test.ts',
  'test/load/database-mariadb.test.ts',
  'test/warehouse/postgres-e2e.test.ts',
  'test/audiences-cli/demo-audiences.test.ts',
  'test/load/files-cli.test.ts',
  'test/load/files-engines.test.ts',
  'test/schedule/schedule-cli.test.ts',
  'test/serve/serve-cli.test.ts',
  'test/cli/sync-cli.test.ts',
  'test/cli/profile.test.ts',
  'test/cli/first-hour.test.ts',
  'test/cli/run-causes.test.ts',
  'test/privacy/export.test.ts',
  // Console pages in Chromium beyond the acceptance walk (test/console/console.test.ts stays default).
  'test/console/audiences.test.ts',
  'test/console/lineage.test.ts',
  'test/console/privacy.test.ts',
];
