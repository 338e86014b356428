/** Due computation: croner fire times, never-run syncs, catch-up after downtime, invalid crons. */
import { describe, expect, it } from 'vitest';
import type { Project, SyncConfig } from '../../src/config/types.js';
import {
  dueSyncs,
  nextWake,
  parseCron,
  ScheduleConfigError,
  type ScheduleState,
  scheduledSyncs,
} from '../../src/schedule/index.js';

const sync = (name: string, schedule?: string) => ({
  path: `syncs/${name}.yml`,
  value: {
    name,
    from: 'm',
    connection: 'c',
    key: 'id',
    mode: 'upsert',
    mappings: {},
    schedule,
  } as SyncConfig,
});
const project = (...syncs: ReturnType<typeof sync>[]) => ({ syncs }) as unknown as Project;
const at = (iso: string) => new Date(iso);
const states = (entries: Record<string, string>) =>
  new Map<string, ScheduleState>(
    Object.entries(entries).map(([s, due]) => [s, { sync: s, last_due_at: at(due) }]),
  );

describe('scheduledSyncs', () => {
  it('keeps only syncs with a schedule, or the named ones', () => {
    const p = project(sync('a', '0 * * * *'), sync('b'), sync('c', '@daily'));
    expect(scheduledSyncs(p).map((s) => s.config.name)).toEqual(['a', 'c']);
    expect(scheduledSyncs(p, ['c']).map((s) => s.config.name)).toEqual(['c']);
    expect(() => scheduledSyncs(p, ['b'])).toThrow("syncs/b.yml: sync 'b' has no schedule");
    expect(() => scheduledSyncs(p, ['x'])).toThrow("unknown sync 'x'; known syncs: a, b, c");
  });

  it('names the sync file of an invalid cron expression', () => {
    const p = project(sync('bad', '61 * * * *'));
    expect(() => scheduledSyncs(p)).toThrow(ScheduleConfigError);
    expect(() => scheduledSyncs(p)).toThrow(
      /^syncs\/bad\.yml: schedule '61 \* \* \* \*' is not a valid cron expression/,
    );
  });
});

describe('dueSyncs', () => {
  const hourly = scheduledSyncs(project(sync('hourly', '0 * * * *'), sync('daily', '30 6 * * *')));

  it('a sync that never ran is due now, for the latest slot', () => {
    const due = dueSyncs(hourly, new Map(), at('2026-03-01T10:17:00Z'));
    expect(due.map((d) => [d.sync.config.name, d.slot.toISOString(), d.why])).toEqual([
      ['hourly', '2026-03-01T10:00:00.000Z', 'never run'],
      ['daily', '2026-03-01T06:30:00.000Z', 'never run'],
    ]);
  });

  it('is not due again within the slot it ran for, and due at the next one', () => {
    const ran = states({ hourly: '2026-03-01T10:00:00Z', daily: '2026-03-01T06:30:00Z' });
    expect(dueSyncs(hourly, ran, at('2026-03-01T10:59:59Z'))).toEqual([]);
    const next = dueSyncs(hourly, ran, at('2026-03-01T11:00:00Z'));
    expect(next.map((d) => [d.sync.config.name, d.slot.toISOString(), d.why])).toEqual([
      ['hourly', '2026-03-01T11:00:00.000Z', 'scheduled'],
    ]);
  });

  it('after downtime, runs once for the latest missed slot (catch-up), not once per slot', () => {
    const ran = states({ hourly: '2026-03-01T10:00:00Z', daily: '2026-03-01T06:30:00Z' });
    const due = dueSyncs(hourly, ran, at('2026-03-03T09:05:00Z'));
    expect(due.map((d) => [d.sync.config.name, d.slot.toISOString(), d.why])).toEqual([
      ['hourly', '2026-03-03T09:00:00.000Z', 'catch-up'],
      ['daily', '2026-03-03T06:30:00.000Z', 'catch-up'],
    ]);
  });

  it('nextWake is the earliest next fire time', () => {
    expect(nextWake(hourly, at('2026-03-01T06:10:00Z'))?.toISOString()).toBe('2026-03-01T06:30:00.000Z');
    expect(nextWake(hourly, at('2026-03-01T06:40:00Z'))?.toISOString()).toBe('2026-03-01T07:00:00.000Z');
  });

  it('reads 6-field crons (seconds) and nicknames in UTC', () => {
    expect(parseCron('*/10 * * * * *', 'f').nextRun(at('2026-01-01T00:00:01Z'))?.toISOString()).toBe(
      '2026-01-01T00:00:10.000Z',
    );
    expect(parseCron('@daily', 'f').nextRun(at('2026-01-01T05:00:00Z'))?.toISOString()).toBe(
      '2026-01-02T00:00:00.000Z',
    );
  });
});
