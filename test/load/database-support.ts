/**
 * Sources for the database-load tests: the local MariaDB (WEFT_TEST_MARIADB_URL, default
 * mysql://root@127.0.0.1:3306/test) and Postgres (WEFT_TEST_POSTGRES_URL via live-engines).
 * An unreachable MariaDB skips its cases with a printed reason, unless WEFT_REQUIRE_MARIADB=1,
 * which makes it a failure. Tables get unique names; callers drop them.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { Project } from '../../src/config/types.js';

export const MARIADB_URL = process.env.WEFT_TEST_MARIADB_URL || 'mysql://root@127.0.0.1:3306/test';

async function probeMariadb(): Promise<string | undefined> {
  const knex = knexFactory({ client: 'mysql2', connection: MARIADB_URL, pool: { min: 0, max: 1 } });
  try {
    await knex.raw('SELECT 1');
    return undefined;
  } catch (error) {
    return `MariaDB at ${MARIADB_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(error as Error).message})`;
  } finally {
    await knex.destroy();
  }
}

const mariadbProblem = await probeMariadb();
if (mariadbProblem) {
  if (process.env.WEFT_REQUIRE_MARIADB === '1')
    throw new Error(`WEFT_REQUIRE_MARIADB=1 but ${mariadbProblem}`);
  console.warn(`Skipping the MariaDB cases: ${mariadbProblem}`);
}

/** Whether the MariaDB cases run. */
export const mariadbAvailable = mariadbProblem === undefined;

/** A knex on the test MariaDB for fixtures (exact values back as strings). */
export function mariadbFixture(): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: `${MARIADB_URL}?supportBigNumbers=true&bigNumberStrings=true&dateStrings=true`,
    pool: {
      min: 0,
      max: 1,
      afterCreate: (
        c: { query(sql: string, cb: (e: unknown) => void): void },
        done: (e: unknown, c: unknown) => void,
      ) => c.query("SET time_zone = '+00:00'", (e) => done(e, c)),
    },
  });
}

/** A knex on a Postgres URL for fixtures. */
export function postgresFixture(url: string): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

/** A unique table name for one test. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** The smallest project a load needs: a directory and a state schema. */
export function minimalProject(dir: string, stateSchema: string): Project {
  return {
    dir,
    config: {
      name: 'dbload_test',
      schema: 'weft',
      state_schema: stateSchema,
      warehouse: { type: 'duckdb', path: ':memory:' },
      connections: {},
      vars: {},
    },
    sources: [],
    models: [],
    audiences: [],
    syncs: [],
    secrets: [],
  } as unknown as Project;
}
