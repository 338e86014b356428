/**
 * The console's fast paths against the slow ones they replace, over one built and synced demo:
 * the profile page (one resolving query, no export of source rows) equals what `weft privacy
 * export` and the former per-type lookups give; a draft's insights (one pass into a scratch
 * table) equal each group, overlap and sample counted on its own; and the builder's calls cancel:
 * a newer draft drops an older draft's pending insights, a live size never waits behind insights,
 * and a cancelled DuckDB statement is interrupted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { exportPerson } from '../../src/privacy/export.js';
import { identifierHash } from '../../src/privacy/hash.js';
import { ensurePrivacyTables } from '../../src/privacy/tables.js';
import { findProfile } from '../../src/profiles/lookup/find.js';
import { jsonValue } from '../../src/profiles/lookup/json-value.js';
import { lookupTables } from '../../src/profiles/lookup/tables.js';
import { draftInsights } from '../../src/serve/console/audience-insights.js';
import { compileDraft, draftSize, parseDraft } from '../../src/serve/console/audiences-data.js';
import { CancelledError, consoleContext } from '../../src/serve/console/context.js';
import { apiEndpoints } from '../../src/serve/console/endpoints.js';
import { profilePage } from '../../src/serve/console/profile-data.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row, Warehouse } from '../../src/warehouse/types.js';
import { type ConsoleFixture, consoleFixture } from './fixture.js';

let fixture: ConsoleFixture;
let project: Project;

/** Runs `body` on the fixture's warehouse (closed after, so the console gets the file). */
async function withDb<T>(body: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
  try {
    return await body(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** The page as the console built it before: per-type lookups, then the whole privacy export. */
async function slowPage(warehouse: Warehouse, text: string): Promise<unknown> {
  const trimmed = text.trim();
  const idTypes = Object.keys(project.identity?.id_types ?? {});
  const typed = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(trimmed)?.[1];
  const tables = await lookupTables(project, warehouse);
  let query: string | undefined;
  if (typed && idTypes.includes(typed)) query = trimmed;
  else {
    const candidates = trimmed.includes('@') && idTypes.includes('email') ? ['email'] : idTypes;
    for (const idType of candidates) {
      const found = await findProfile(project, warehouse, tables, {
        kind: 'identifier',
        idType,
        value: trimmed,
        text,
      });
      if (found.found) {
        query = `${idType}:${trimmed}`;
        break;
      }
    }
    if (!query) {
      const byId = await findProfile(project, warehouse, tables, {
        kind: 'profile_id',
        profileId: trimmed,
        text,
      });
      if (byId.found) query = trimmed;
    }
  }
  if (!query) return 'not found';
  const found = await exportPerson(project, warehouse, query);
  if (!found.profile_id) return 'not found';
  const time = (row: Row) => String(row.timestamp ?? row.received_at ?? row.ts ?? '');
  const edges = await warehouse.query(
    `SELECT e.source, e.a_type, e.a_value, e.b_type, e.b_value, e.first_seen_at, e.last_seen_at, e.row_count, e.used_for_merge, e.unused_reason
FROM weft.identity_edges AS e
WHERE EXISTS (SELECT 1 FROM weft.identity_map AS m WHERE m.profile_id = '${found.profile_id}'
  AND ((m.id_type = e.a_type AND m.id_value = e.a_value) OR (m.id_type = e.b_type AND m.id_value = e.b_value)))
ORDER BY e.source, e.a_type, e.a_value, e.b_type, e.b_value LIMIT 200`,
  );
  return {
    profile_id: found.profile_id,
    query,
    sections: jsonValue(found.sections),
    events: found.events.map((e) => ({
      table: e.table,
      rows: e.rows,
      recent: [...e.sample].sort((a, b) => time(b).localeCompare(time(a))).slice(0, 20),
    })),
    destinations: found.destinations.map((d) => ({
      sync: d.sync,
      type: d.type,
      connection: d.connection,
      synced_at: d.synced_at,
    })),
    edges: edges.map((r) => jsonValue(r)),
  };
}

async function fastPage(warehouse: Warehouse, text: string): Promise<unknown> {
  try {
    return await profilePage(project, warehouse, text);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return 'not found';
    throw error;
  }
}

beforeAll(async () => {
  fixture = await consoleFixture(120);
  project = await fixture.project();
}, 120_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe('the profile page', () => {
  it('equals the privacy export and the former lookups for every kind of search text', async () => {
    // A synced VIP, and a profile with a phone and a user id.
    const [vip] =
      await fixture.query(`SELECT m.profile_id, min(i.id_value) AS email FROM weft.audience_members m
      JOIN weft.identity_map i ON i.profile_id = m.profile_id AND i.id_type = 'email'
      WHERE m.audience = 'high_value_recent' GROUP BY m.profile_id ORDER BY m.profile_id LIMIT 1`);
    const [phone] = await fixture.query(
      `SELECT id_value FROM weft.identity_map WHERE id_type = 'phone' ORDER BY id_value LIMIT 1`,
    );
    const [user] = await fixture.query(
      `SELECT id_value FROM weft.identity_map WHERE id_type = 'user_id' ORDER BY id_value LIMIT 1`,
    );
    const email = String(vip?.email);
    const texts = [
      `  ${email.toUpperCase()} `,
      `email:${email}`,
      String(vip?.profile_id),
      String(phone?.id_value),
      ` ${String(user?.id_value)}`,
      `user_id:${String(user?.id_value)}`,
      'nobody-at-all@example.invalid',
      'email:not an email',
      'no-such-profile-id',
    ];
    await withDb(async (warehouse) => {
      let found = 0;
      for (const text of texts) {
        const fast = await fastPage(warehouse, text);
        expect(fast, text).toEqual(await slowPage(warehouse, text));
        if (fast !== 'not found') found += 1;
      }
      expect(found).toBe(6);
      // The VIP's page is a full one: audiences, several destinations, identifiers with sources.
      const page = (await fastPage(warehouse, texts[0] as string)) as {
        destinations: unknown[];
        sections: { audiences: unknown[]; identifiers: Array<{ sources: string[] }> };
        edges: unknown[];
      };
      expect(page.destinations.length).toBeGreaterThan(1);
      expect(page.sections.audiences.length).toBeGreaterThan(0);
      expect(page.sections.identifiers.some((i) => i.sources.length > 0)).toBe(true);
      expect(page.edges.length).toBeGreaterThan(0);
    });
  });
});

describe('the profile page of a suppressed person', () => {
  it('answers 404 for a suppressed identifier, as the privacy export shows only the suppression', async () => {
    const [row] = await fixture.query(
      `SELECT profile_id, id_value FROM weft.identity_map WHERE id_type = 'email' ORDER BY id_value DESC LIMIT 1`,
    );
    const email = String(row?.id_value);
    await withDb(async (warehouse) => {
      expect(((await fastPage(warehouse, email)) as { profile_id: string }).profile_id).toBe(
        String(row?.profile_id),
      );
      const tables = await ensurePrivacyTables(warehouse, project.config.state_schema);
      await warehouse.execute(
        `INSERT INTO ${warehouse.dialect.qualify(tables.suppressions)} (id_hash, id_type, request_id, created_at)
         VALUES ('${identifierHash(email)}', 'email', 'pr_speedtest000000', TIMESTAMP '2026-01-01 00:00:00')`,
      );
      const exported = await exportPerson(project, warehouse, `email:${email}`);
      expect(exported.suppressed_by).toEqual(['pr_speedtest000000']);
      expect(await fastPage(warehouse, ` ${email.toUpperCase()}`)).toBe('not found');
      expect(await fastPage(warehouse, ` ${email.toUpperCase()}`)).toEqual(
        await slowPage(warehouse, ` ${email.toUpperCase()}`),
      );
      await warehouse.execute(
        `DELETE FROM ${warehouse.dialect.qualify(tables.suppressions)} WHERE request_id = 'pr_speedtest000000'`,
      );
    });
  });
});

describe("a draft's insights", () => {
  /** Each group, overlap and the sample counted on its own, as the console did before. */
  async function slowInsights(warehouse: Warehouse, draft: Record<string, unknown>) {
    const d = warehouse.dialect;
    const sql = compileDraft(project, d, parseDraft(draft)).sql;
    const count = async (select: string) =>
      Number((await warehouse.query(`SELECT count(*) AS n FROM (${select}) AS t`))[0]?.n);
    const size = await count(sql);
    const groups: number[] = [];
    const walk = async (node: Record<string, unknown>) => {
      const inner = (node.not ?? node) as Record<string, unknown>;
      const items = (inner.all ?? inner.any) as Array<Record<string, unknown>> | undefined;
      if (!items) return;
      groups.push(
        await count(compileDraft(project, d, { name: 'g', where: node, columns: [] } as never).sql),
      );
      for (const item of items) await walk(item);
    };
    if (draft.where) await walk(draft.where as Record<string, unknown>);
    const overlaps = await warehouse.query(`SELECT o.audience, count(DISTINCT o.profile_id) AS size,
        count(DISTINCT t.profile_id) AS overlap
      FROM weft.audience_members AS o LEFT JOIN (${sql}) AS t ON t.profile_id = o.profile_id
      WHERE o.audience <> '${String(draft.name)}' GROUP BY o.audience ORDER BY o.audience`);
    const sample = await warehouse.query(
      `SELECT DISTINCT profile_id FROM (${sql}) AS t ORDER BY profile_id LIMIT 10`,
    );
    return {
      size,
      groups,
      overlaps: overlaps.map((r) => ({
        audience: String(r.audience),
        size: Number(r.size),
        overlap: Number(r.overlap),
      })),
      sample: sample.map((r) => String(r.profile_id)),
    };
  }

  const drafts: Array<Record<string, unknown>> = [
    {
      name: 'speed_traits',
      where: {
        all: [
          { trait: 'lifetime_value', op: 'gte', value: 100 },
          {
            any: [
              { trait: 'order_count', op: 'gte', value: 3 },
              { not: { all: [{ trait: 'plan', op: 'in', value: ['pro', 'enterprise'] }] } },
            ],
          },
        ],
      },
      columns: ['email'],
    },
    {
      name: 'speed_events',
      where: {
        any: [
          { event: 'stg_web_events', timestamp: 'occurred_at', within_days: 365, count: { gte: 2 } },
          { all: [{ trait: 'support_tickets', op: 'gt', value: 0 }, { audience: 'high_value_recent' }] },
        ],
      },
      exclude: { audience: 'unsubscribed' },
      columns: [],
    },
    { name: 'speed_raw', sql: 'SELECT profile_id FROM weft.profiles WHERE order_count >= 2' },
  ];

  it('equals each group, overlap and sample counted on its own, and the live size', async () => {
    await withDb(async (warehouse) => {
      for (const draft of drafts) {
        const fast = await draftInsights(project, warehouse, draft);
        const slow = await slowInsights(warehouse, draft);
        const label = String(draft.name);
        expect(fast.size, label).toBe(slow.size);
        expect(fast.size, label).toBe((await draftSize(project, warehouse, draft)).size);
        expect(
          fast.groups.map((g) => g.size),
          label,
        ).toEqual(slow.groups);
        expect(
          [...fast.overlaps].sort((a, b) => a.audience.localeCompare(b.audience)),
          label,
        ).toEqual(slow.overlaps);
        expect(
          fast.sample.map((r) => String(r.profile_id)),
          label,
        ).toEqual(slow.sample);
        expect(fast.size, label).toBeGreaterThan(0);
      }
      // The scratch table is gone after each call.
      expect(
        await warehouse.query(
          "SELECT table_name FROM information_schema.tables WHERE table_name = 'weft_console_draft'",
        ),
      ).toEqual([]);
    });
  });
});

describe('cancelling the builder calls', () => {
  /** Holds a lane until `release()` is called. */
  function blocker() {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    return { held, running, release, started };
  }
  const call = (path: string, method: 'GET' | 'POST' = 'POST') => {
    const endpoint = apiEndpoints.find((e) => e.method === method && e.pattern.test(path));
    if (!endpoint) throw new Error(`no endpoint ${path}`);
    return endpoint;
  };
  const draftA = { name: 'cancel_a', where: { trait: 'lifetime_value', op: 'gte', value: 100 } };
  const draftB = { name: 'cancel_b', where: { trait: 'lifetime_value', op: 'gte', value: 200 } };

  it("drops an older draft's pending insights when a newer draft's size or insights comes, and never holds a size behind insights", async () => {
    const ctx = consoleContext(project);
    const lane = blocker();
    const holding = ctx.warehouse(
      async () => {
        lane.started();
        await lane.held;
      },
      { lane: 'insights' },
    );
    await lane.running;
    const live = new AbortController();
    const insights = call('audiences/insights');
    const size = call('audiences/size');
    const base = { ctx, role: 'viewer' as const, params: [], url: new URL('http://x/'), builder: 'tab-1' };
    // Draft A's insights wait behind the held lane; draft B's size supersedes them at once.
    const olderInsights = insights.handle({ ...base, body: { audience: draftA }, signal: live.signal });
    const sizeB = size.handle({ ...base, body: { audience: draftB }, signal: live.signal });
    await expect(olderInsights).rejects.toBeInstanceOf(CancelledError);
    // The size ran although the insights lane is still held.
    const sized = (await sizeB) as { size: number };
    const [expected] = await fixture.query(
      'SELECT count(*) AS n FROM weft.profiles WHERE lifetime_value >= 200',
    );
    expect(sized.size).toBe(Number(expected?.n));
    // B's insights, then a newer insights call for another draft: the first is dropped.
    const insightsB = insights.handle({ ...base, body: { audience: draftB }, signal: live.signal });
    const insightsA = insights.handle({ ...base, body: { audience: draftA }, signal: live.signal });
    await expect(insightsB).rejects.toBeInstanceOf(CancelledError);
    // Another builder's calls are left alone.
    const otherTab = insights.handle({
      ...base,
      builder: 'tab-2',
      body: { audience: draftB },
      signal: live.signal,
    });
    lane.release();
    await holding;
    const [a] = await fixture.query('SELECT count(*) AS n FROM weft.profiles WHERE lifetime_value >= 100');
    expect(((await insightsA) as { size: number }).size).toBe(Number(a?.n));
    expect(((await otherTab) as { size: number }).size).toBe(sized.size);
  });

  it('interrupts a running DuckDB statement when the client goes away', async () => {
    const ctx = consoleContext(project);
    const gone = new AbortController();
    let reached = false;
    const unit = ctx.warehouse(
      async (warehouse) => {
        const long = warehouse.query('SELECT sum(hash(i)) AS s FROM range(100000000000) AS t(i)');
        gone.abort();
        await long;
        reached = true;
      },
      { signal: gone.signal },
    );
    await expect(unit).rejects.toBeInstanceOf(CancelledError);
    // The next unit of the lane starts once the cancelled one has stopped (the statement would run
    // for many minutes uninterrupted), and gets a working warehouse.
    expect(await ctx.warehouse((warehouse) => warehouse.query('SELECT 42 AS n'))).toEqual([{ n: 42 }]);
    expect(reached).toBe(false);
  });
});
