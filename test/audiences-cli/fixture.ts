/**
 * Hand-made audiences for the inspect and state tests: a `profiles` table with six profiles and
 * views `audience_<name>` over it, plus `audience_members` and `audience_state` as a build
 * would leave them (no compiler needed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureMembers } from '../../src/audiences/measure.js';
import { audienceMembersRelation } from '../../src/audiences/members.js';
import { openMembersWriter } from '../../src/audiences/members-table.js';
import { recordAudienceState } from '../../src/audiences/state.js';
import type { AudienceConfig, Project } from '../../src/config/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { RelationRef, Warehouse } from '../../src/warehouse/types.js';
import { makeProject } from '../compiler/project-fixture.js';

/** Audience name → the profile ids it holds (views select them from `profiles`). */
export const MEMBERS: Record<string, string[]> = {
  vip: ['p1', 'p2', 'p3'],
  recent: ['p2', 'p3', 'p4', 'p5'],
  lapsed: ['p6'],
};

/** An open DuckDB file with the profiles table, plus the project describing it. */
export interface AudienceFixture {
  warehouse: Warehouse;
  project: Project;
  dispose(): Promise<void>;
}

/** The view of an audience in the fixture's project schema. */
export function viewOf(name: string): RelationRef {
  return { schema: 'weft', name: `audience_${name}` };
}

/** Opens a fresh warehouse with `weft.profiles`; views are created by `createViews`. */
export async function openAudienceFixture(): Promise<AudienceFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-audiences-'));
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'w.duckdb') },
    { projectDir: dir },
  );
  await warehouse.execute(`CREATE SCHEMA weft;
CREATE TABLE weft.profiles AS SELECT * FROM (VALUES
  ('p1', 'ann@x.com', 900.0), ('p2', 'bob@x.com', 650.5), ('p3', 'cy@x.com', 520.0),
  ('p4', 'dee@x.com', 10.0), ('p5', NULL, 0.0), ('p6', 'fay@x.com', 75.0)
) AS t(profile_id, email, lifetime_value)`);
  const audiences = Object.keys(MEMBERS).map((name): { path: string; value: AudienceConfig } => ({
    path: `models/audiences/${name}.yml`,
    value: {
      name,
      description: `the ${name} people`,
      sql: 'select profile_id from profiles',
      columns: ['email', 'lifetime_value'],
    } as AudienceConfig,
  }));
  const project: Project = { ...makeProject({}, { dir }), audiences };
  return {
    warehouse,
    project,
    dispose: async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** (Re)creates `audience_<name>` views holding `members` (default: MEMBERS). */
export async function createViews(
  warehouse: Warehouse,
  members: Record<string, string[]> = MEMBERS,
): Promise<void> {
  for (const [name, ids] of Object.entries(members)) {
    const list = ids.length > 0 ? ids.map((id) => `'${id}'`).join(', ') : 'NULL';
    await warehouse.execute(
      `CREATE OR REPLACE VIEW weft.audience_${name} AS SELECT profile_id, email, lifetime_value FROM weft.profiles WHERE profile_id IN (${list})`,
    );
  }
}

/**
 * What a build leaves for `members` at `builtAt`: the views, `audience_members` (written by the
 * build's own writer) and `audience_state` (from the build's one aggregate).
 */
export async function recordBuild(
  warehouse: Warehouse,
  project: Project,
  builtAt: Date,
  members: Record<string, string[]> = MEMBERS,
  /** Audiences whose views the test made itself (with a `split` column when `hasSplits`). */
  ownViews: Array<{ name: string; hasSplits: boolean }> = [],
): Promise<void> {
  await createViews(warehouse, members);
  const table = audienceMembersRelation(project);
  const writer = await openMembersWriter(warehouse, table);
  const sources = [...Object.keys(members).map((name) => ({ name, hasSplits: false })), ...ownViews];
  for (const { name, hasSplits } of sources) await writer.add({ name, view: viewOf(name), hasSplits });
  await writer.commit([]);
  const names = sources.map((s) => s.name);
  const measured = await measureMembers(warehouse, table, names);
  await recordAudienceState(warehouse, project, [...measured.values()], builtAt);
}
