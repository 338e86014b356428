import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadProject, loadProjectOrThrow } from '../../src/config/index.js';
import { MINIMAL_WEFT, removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

const load = async (files: Record<string, string>) => loadProject(writeProject(files), { env: {} });

describe('model discovery', () => {
  it('finds models/**/*.sql sorted, named by file, default config view', async () => {
    const dir = writeProject({
      'weft.yml': MINIMAL_WEFT,
      'models/b/zeta.sql': 'select 1',
      'models/a/alpha.sql': '/* just a comment */ select 1',
      'models/root.sql': 'select 2',
      'models/.hidden/skip.sql': 'select 3',
    });
    const project = await loadProjectOrThrow(dir, { env: {} });
    expect(project.models.map((m) => m.path)).toEqual([
      'models/a/alpha.sql',
      'models/b/zeta.sql',
      'models/root.sql',
    ]);
    expect(project.models.map((m) => m.name)).toEqual(['alpha', 'zeta', 'root']);
    expect(project.models[0]?.config).toEqual({ materialized: 'view', tags: [], enabled: true });
  });

  it('reads a comment config that starts on the line after /*, and allows incremental without unique_key', async () => {
    const project = await loadProjectOrThrow(
      writeProject({
        'weft.yml': MINIMAL_WEFT,
        'models/events.sql': '/*\nconfig:\n  materialized: incremental\n  enabled: false\n*/\nselect 1',
      }),
      { env: {} },
    );
    expect(project.models[0]?.config).toEqual({ materialized: 'incremental', tags: [], enabled: false });
  });

  it('names both files for a duplicate model name', async () => {
    const { issues } = await load({
      'weft.yml': MINIMAL_WEFT,
      'models/a/orders.sql': 'select 1',
      'models/b/orders.sql': 'select 2',
    });
    expect(issues.map(formatIssue)).toEqual([
      "models/b/orders.sql:1:1  duplicate model name 'orders': models/a/orders.sql and models/b/orders.sql",
    ]);
  });

  it('rejects config in both a comment block and a sidecar', async () => {
    const { issues } = await load({
      'weft.yml': MINIMAL_WEFT,
      'models/m.sql': '\n/* config:\n  materialized: table\n*/\nselect 1',
      'models/m.yml': 'config:\n  materialized: view\n',
    });
    expect(issues.map(formatIssue)).toEqual([
      'models/m.sql:2:4  config is both in this comment block and in models/m.yml; keep only one',
    ]);
  });

  it('reports errors inside the comment block at their real line in the .sql file', async () => {
    const { issues } = await load({
      'weft.yml': MINIMAL_WEFT,
      'models/m.sql': '/* config:\n  materialized: table\n  uniqe_key: id\n*/\nselect 1',
      'models/n.sql': '/* config:\n  materialized: table\n   tags: [x]\n*/\nselect 1',
    });
    expect(issues.map(formatIssue)).toEqual([
      "models/m.sql:3:3  config.uniqe_key: unknown key 'uniqe_key' (did you mean 'unique_key'?)",
      expect.stringMatching(/^models\/n\.sql:2:17 {2}YAML syntax error: /),
    ]);
  });

  it('reports sidecar errors in the sidecar, an unclosed comment and an orphan sidecar', async () => {
    const { issues } = await load({
      'weft.yml': MINIMAL_WEFT,
      'models/m.sql': 'select 1',
      'models/m.yml': 'config:\n  materialized: table\n  unique_key: 3\n',
      'models/open.sql': '/* config:\n  materialized: table\nselect 1',
      'models/ghost.yml': 'config: {}\n',
      'models/bad-name.sql': 'select 1',
    });
    expect(issues.map(formatIssue)).toEqual([
      "models/bad-name.sql  model name 'bad-name' (the file name) must contain only letters, digits and underscores",
      'models/m.yml:3:15  config.unique_key: expected a string or a list, got a number',
      "models/open.sql:1:1  the config comment opened with '/*' is never closed with '*/'",
      "models/ghost.yml  no model 'models/ghost.sql' for this sidecar config",
    ]);
  });

  it('does not treat sources.yml, identity.yml or audiences as sidecars', async () => {
    const { issues } = await load({
      'weft.yml': MINIMAL_WEFT,
      'models/sources.yml': 'sources: {}\n',
      'models/audiences/a.yml': 'name: a\nsql: select 1 as profile_id\n',
    });
    expect(issues).toEqual([]);
  });
});
