import { afterAll, describe, expect, it } from 'vitest';
import {
  formatIssue,
  loadProject,
  loadProjectOrThrow,
  parseWarehouseUrl,
  redactSecrets,
  renderEnvString,
} from '../../src/config/index.js';
import { removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

describe('renderEnvString', () => {
  it('renders variables, defaults and both quote styles', () => {
    const env = { A: 'alpha' };
    expect(renderEnvString(`x-{{env 'A'}}-{{ env "B" "bee" }}`, env)).toEqual({
      value: 'x-alpha-bee',
      errors: [],
      uses: [
        { name: 'A', value: 'alpha', fromDefault: false, hasDefault: false },
        { name: 'B', value: 'bee', fromDefault: true, hasDefault: true },
      ],
    });
  });

  it('errors on a missing variable without default and on a botched env call', () => {
    const result = renderEnvString(`{{env 'NOPE'}} {{env NOPE}} {{evn 'X'}} {{ENV "Y"}}`, {});
    expect(result.errors).toEqual([
      "environment variable 'NOPE' is not set (and {{env 'NOPE'}} has no default)",
      "unsupported template '{{env NOPE}}': write {{env 'NAME'}} or {{env 'NAME' 'default'}} (quoted)",
      "unsupported template '{{evn 'X'}}': write {{env 'NAME'}} or {{env 'NAME' 'default'}} (quoted)",
      "unsupported template '{{ENV \"Y\"}}': write {{env 'NAME'}} or {{env 'NAME' 'default'}} (quoted)",
    ]);
  });

  it('leaves other handlebars as written, for the connector to render', () => {
    const text = `{{first_name}} ({{email}}) {{round x 2}} {{#if vip}}VIP{{/if}} {{eq 'a' 'b'}} {{env 'A'}}`;
    expect(renderEnvString(text, { A: 'alpha' })).toMatchObject({
      value: `{{first_name}} ({{email}}) {{round x 2}} {{#if vip}}VIP{{/if}} {{eq 'a' 'b'}} alpha`,
      errors: [],
    });
  });

  it('uses an empty but set variable rather than the default', () => {
    expect(renderEnvString(`{{env 'E' 'dflt'}}`, { E: '' }).value).toBe('');
  });
});

describe('env in weft.yml', () => {
  const weft = [
    'name: t',
    `schema: "{{env 'WEFT_SCHEMA' 'analytics'}}"`,
    'warehouse:',
    '  type: postgres',
    `  host: "{{env 'PGHOST' 'localhost'}}"`,
    `  port: "{{env 'PGPORT' '5432'}}"`,
    `  password: "{{env 'PGPASSWORD' 'devpass'}}"`,
    'connections:',
    '  hub:',
    '    type: hubspot',
    `    token: "{{env 'HUB_TOKEN'}}"`,
    `    base_url: "{{env 'HUB_URL' 'http://localhost:4010'}}"`,
    '',
  ].join('\n');

  it('renders values, coerces the port and collects secrets', async () => {
    const dir = writeProject({ 'weft.yml': weft });
    const project = await loadProjectOrThrow(dir, {
      env: { HUB_TOKEN: 'tok-123456', HUB_URL: 'http://sandbox:4010', PGHOST: 'db.internal' },
    });
    expect(project.config.schema).toBe('analytics');
    expect(project.config.warehouse).toEqual({
      type: 'postgres',
      host: 'db.internal',
      port: 5432,
      password: 'devpass',
    });
    // token: no default; base_url: from env under connections; password: the key looks secret.
    // PGHOST is neither (it has a default and is not under connections).
    expect(project.secrets.sort()).toEqual(['devpass', 'http://sandbox:4010', 'tok-123456']);
  });

  it('a connection whose secret is not set fails only what uses it, naming the variable, file and line', async () => {
    const project = await loadProjectOrThrow(writeProject({ 'weft.yml': weft }), { env: {} });
    expect(project.config.unavailable_connections).toEqual({
      hub: "weft.yml:11:12  connections.hub.token: environment variable 'HUB_TOKEN' is not set (and {{env 'HUB_TOKEN'}} has no default)",
    });
  });

  it('names a missing variable outside connections as a problem, with file and line', async () => {
    const { issues } = await loadProject(
      writeProject({ 'weft.yml': weft.replace("{{env 'PGPASSWORD' 'devpass'}}", "{{env 'PGPASSWORD'}}") }),
      { env: { HUB_TOKEN: 'tok-123456' } },
    );
    expect(issues.map(formatIssue)).toEqual([
      "weft.yml:7:13  warehouse.password: environment variable 'PGPASSWORD' is not set (and {{env 'PGPASSWORD'}} has no default)",
    ]);
  });

  it('does not render env in other files', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nconnections:\n  c: { type: webhook }\n',
      'models/m.sql': 'select 1 as id',
      'syncs/s.yml': `name: s\nfrom: m\nconnection: c\nkey: id\nmappings:\n  x: "{{env 'HOME'}}"\n`,
    });
    const project = await loadProjectOrThrow(dir, { env: { HOME: '/root' } });
    expect(project.syncs[0]?.value.mappings).toEqual({ x: "{{env 'HOME'}}" });
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, longest secret first, and ignores tiny values', () => {
    const text = 'token=abcd1234 again abcd1234 and abcd12345678 x';
    expect(redactSecrets(text, ['abcd1234', 'abcd12345678', 'x'])).toBe('token=*** again *** and *** x');
  });
});

describe('WEFT_WAREHOUSE_URL', () => {
  it.each([
    ['duckdb:///abs/path.duckdb', { type: 'duckdb', path: '/abs/path.duckdb' }],
    ['duckdb:relative/path.duckdb', { type: 'duckdb', path: 'relative/path.duckdb' }],
    ['duckdb::memory:', { type: 'duckdb', path: ':memory:' }],
    ['duckdb://:memory:', { type: 'duckdb', path: ':memory:' }],
    ['postgres://u@h:5432/db', { type: 'postgres', url: 'postgres://u@h:5432/db' }],
    ['postgresql://u@h/db', { type: 'postgres', url: 'postgresql://u@h/db' }],
    ['bigquery://my-proj', { type: 'bigquery', project: 'my-proj' }],
    [
      'bigquery://my-proj?location=EU&maximum_bytes_billed=1000000&api_endpoint=http://127.0.0.1:9050',
      {
        type: 'bigquery',
        project: 'my-proj',
        location: 'EU',
        maximum_bytes_billed: '1000000',
        api_endpoint: 'http://127.0.0.1:9050',
      },
    ],
    [
      'snowflake://weft@MyOrg-Acct/ANALYTICS?warehouse=WH&role=R',
      {
        type: 'snowflake',
        account: 'MyOrg-Acct',
        user: 'weft',
        database: 'ANALYTICS',
        warehouse: 'WH',
        role: 'R',
      },
    ],
  ])('parses %s', (url, warehouse) => {
    expect(parseWarehouseUrl(url)).toEqual({ ok: true, warehouse, secrets: [] });
  });

  it('treats a postgres password as a secret and never echoes bad URLs', () => {
    const parsed = parseWarehouseUrl('postgres://u:s3cr%40t@h/db');
    expect(parsed.ok && parsed.secrets).toContain('s3cr@t');
    const bad = parseWarehouseUrl('mysql://u:hunter22@h/db');
    expect(bad).toEqual({ ok: false, message: expect.stringContaining("unsupported scheme 'mysql:'") });
    expect(JSON.stringify(bad)).not.toContain('hunter22');
  });

  it('treats a snowflake password as a secret and names unknown URL parameters', () => {
    const parsed = parseWarehouseUrl('snowflake://u:pa%24%24w0rd@acct/db');
    expect(parsed.ok && parsed.warehouse).toMatchObject({
      type: 'snowflake',
      user: 'u',
      password: 'pa$$w0rd',
    });
    expect(parsed.ok && parsed.secrets).toContain('pa$$w0rd');
    expect(parseWarehouseUrl('bigquery://p?region=EU')).toEqual({
      ok: false,
      message: expect.stringContaining("unknown bigquery parameter 'region' (known: location"),
    });
    expect(parseWarehouseUrl('bigquery:///')).toMatchObject({ ok: false });
  });

  it('overrides the warehouse block, or reports a bad URL', async () => {
    const dir = writeProject({ 'weft.yml': 'name: t\nwarehouse: { type: duckdb, path: a.duckdb }\n' });
    const project = await loadProjectOrThrow(dir, {
      env: { WEFT_WAREHOUSE_URL: 'postgres://weft:pw1234@db/weft' },
    });
    expect(project.config.warehouse).toEqual({ type: 'postgres', url: 'postgres://weft:pw1234@db/weft' });
    expect(project.secrets).toContain('pw1234');
    const { issues } = await loadProject(dir, { env: { WEFT_WAREHOUSE_URL: 'sqlite:x.db' } });
    expect(issues.map(formatIssue)).toEqual([
      "$WEFT_WAREHOUSE_URL  WEFT_WAREHOUSE_URL: unsupported scheme 'sqlite:'; expected duckdb:///abs/path.duckdb, duckdb:relative/path.duckdb, duckdb::memory:, postgres://…, bigquery://project or snowflake://user@account/database",
    ]);
  });

  it('defaults the warehouse to the local DuckDB file', async () => {
    const project = await loadProjectOrThrow(writeProject({ 'weft.yml': 'name: t\n' }), { env: {} });
    expect(project.config.warehouse).toEqual({ type: 'duckdb', path: '.weft/warehouse.duckdb' });
  });
});
