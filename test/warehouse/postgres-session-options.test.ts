/**
 * The Postgres engine's session settings: weft's tuning (work_mem, temp_buffers, jit), then the
 * user's PGOPTIONS, then TimeZone=UTC, which nothing overrides. Live on Postgres when reachable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresTarget, sessionOptions } from '../../src/warehouse/postgres/connection-config.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { postgresTestConfig } from '../support/live-engines.js';

describe('Postgres session options', () => {
  const saved = process.env.PGOPTIONS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PGOPTIONS;
    else process.env.PGOPTIONS = saved;
  });

  it('puts PGOPTIONS after the tuning, so it wins, and UTC last', () => {
    const options = sessionOptions('-c work_mem=1GB');
    expect(options.indexOf('-c work_mem=1GB')).toBeGreaterThan(options.indexOf('-c work_mem=64MB'));
    expect(options.endsWith('-c TimeZone=UTC')).toBe(true);
    expect(sessionOptions(undefined)).not.toMatch(/ {2}|undefined/);
  });

  it('reads PGOPTIONS when the pool config is built', () => {
    process.env.PGOPTIONS = '-c statement_timeout=5s';
    expect(postgresTarget({ type: 'postgres', url: 'postgres://h/db' }).pool.options).toContain(
      '-c statement_timeout=5s',
    );
  });

  const config = postgresTestConfig();
  it.runIf(config)('applies the settings to every session, PGOPTIONS overriding', async () => {
    process.env.PGOPTIONS = '-c work_mem=96MB -c TimeZone=Asia/Tokyo';
    const warehouse = await openWarehouse(config as NonNullable<typeof config>, {
      projectDir: process.cwd(),
    });
    try {
      const [row] = await warehouse.query(
        "SELECT current_setting('work_mem') AS work_mem, current_setting('temp_buffers') AS temp_buffers, current_setting('jit') AS jit, current_setting('TimeZone') AS tz",
      );
      expect(row).toEqual({ work_mem: '96MB', temp_buffers: '256MB', jit: 'off', tz: 'UTC' });
      // a pooled connection (streams, loads) gets them too
      for await (const rows of warehouse.stream("SELECT current_setting('jit') AS jit")) {
        expect(rows).toEqual([{ jit: 'off' }]);
      }
    } finally {
      await warehouse.close();
    }
  });
});
