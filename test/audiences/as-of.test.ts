/** "Now": WEFT_AS_OF over weft.yml as_of over the warehouse clock; zone-less times are UTC. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInstant, resolveAsOf } from '../../src/audiences/index.js';
import { formatIssue, loadProject } from '../../src/config/index.js';
import { makeProject } from '../compiler/project-fixture.js';

const withAsOf = (as_of?: string) => {
  const project = makeProject({});
  return { ...project, config: { ...project.config, ...(as_of === undefined ? {} : { as_of }) } };
};

describe('resolveAsOf', () => {
  it('is undefined (the warehouse clock) when neither weft.yml nor the env sets it', () => {
    expect(resolveAsOf(withAsOf(), {})).toBeUndefined();
    expect(resolveAsOf(withAsOf(), { WEFT_AS_OF: '  ' })).toBeUndefined();
  });

  it('reads weft.yml as_of, and WEFT_AS_OF overrides it', () => {
    expect(resolveAsOf(withAsOf('2025-06-01T00:00:00Z'), {})?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(resolveAsOf(withAsOf('2025-06-01'), { WEFT_AS_OF: '2024-01-02T03:04:05Z' })?.toISOString()).toBe(
      '2024-01-02T03:04:05.000Z',
    );
  });

  it('rejects a WEFT_AS_OF that is not an ISO instant, naming the variable', () => {
    expect(() => resolveAsOf(withAsOf(), { WEFT_AS_OF: 'yesterday' })).toThrow(
      "$WEFT_AS_OF: 'yesterday' is not an ISO date or date-time",
    );
    expect(() => resolveAsOf(withAsOf(), { WEFT_AS_OF: '2025-13-01' })).toThrow(/not an ISO date/);
  });
});

describe('parseInstant', () => {
  it('reads dates and zone-less date-times as UTC, and honours explicit zones', () => {
    const iso = (text: string) => parseInstant(text, 'x').toISOString();
    expect(iso('2025-06-01')).toBe('2025-06-01T00:00:00.000Z');
    expect(iso('2025-06-01T12:30')).toBe('2025-06-01T12:30:00.000Z');
    expect(iso('2025-06-01 12:30:00')).toBe('2025-06-01T12:30:00.000Z');
    expect(iso('2025-06-01T12:00:00+02:00')).toBe('2025-06-01T10:00:00.000Z');
    expect(iso('2025-06-01T12:00:00+0200')).toBe('2025-06-01T10:00:00.000Z');
    expect(iso('2025-06-01T12:00:00-05')).toBe('2025-06-01T17:00:00.000Z');
  });
});

describe('weft.yml as_of', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is validated with the file line, and loaded as written', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'weft-as-of-'));
    writeFileSync(path.join(dir, 'weft.yml'), 'name: t\nas_of: last tuesday\n');
    const bad = await loadProject(dir, { env: {} });
    expect(bad.issues.map(formatIssue)).toEqual([
      "weft.yml:2:8  as_of: must be an ISO date or date-time, e.g. '2025-06-01' or '2025-06-01T00:00:00Z'",
    ]);
    writeFileSync(path.join(dir, 'weft.yml'), 'name: t\nas_of: "2025-06-01T00:00:00Z"\n');
    const good = await loadProject(dir, { env: {} });
    expect(good.project?.config.as_of).toBe('2025-06-01T00:00:00Z');
  });
});
