/**
 * The generated SQL around audience_members for every registered dialect, under
 * test/golden/<dialect>/audiences/members/: the rows one audience adds (with and without
 * splits), the measuring aggregate, and the preview's overlap and sample queries.
 * Run with UPDATE_GOLDEN=1 to rewrite the files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { membersOverlapSql, membersSampleSql } from '../../src/audiences/inspect/members-sql.js';
import { measureSql, memberRowsSql } from '../../src/audiences/members.js';
import { registeredEngines } from '../../src/warehouse/registry.js';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden');
const updating = process.env.UPDATE_GOLDEN === '1';
const members = { schema: 'weft', name: 'audience_members' };

function expectGolden(file: string, actual: string): void {
  if (updating) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden audience_members SQL', () => {
  for (const engine of registeredEngines()) {
    it(`matches test/golden/${engine.name}/audiences/members/`, () => {
      const { dialect } = engine;
      const sql: Record<string, string> = {
        rows: memberRowsSql(dialect, {
          name: 'vip',
          view: { schema: 'weft', name: 'audience_vip' },
          hasSplits: false,
        }),
        rows_split: memberRowsSql(dialect, {
          name: 'win_back',
          view: { schema: 'weft', name: 'audience_win_back' },
          hasSplits: true,
        }),
        measure: measureSql(dialect, members),
        preview_overlap: membersOverlapSql(dialect, {
          members,
          target: 'vip',
          others: ['recent', "o'brien"],
        }),
        preview_sample: membersSampleSql(dialect, {
          members,
          profiles: { schema: 'weft', name: 'profiles' },
          target: 'win_back',
          columns: ['profile_id', 'email', 'lifetime_value', 'split'],
          hasSplits: true,
          limit: 10,
        }),
      };
      for (const [name, text] of Object.entries(sql)) {
        expectGolden(path.join(goldenDir, engine.name, 'audiences', 'members', `${name}.sql`), text);
      }
    });
  }
});
