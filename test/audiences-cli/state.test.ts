import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudienceState } from '../../src/audiences/state.js';
import { type AudienceFixture, MEMBERS, openAudienceFixture, recordBuild } from './fixture.js';

const first = new Date('2025-06-01T00:00:00Z');
const second = new Date('2025-06-02T00:00:00Z');
const third = new Date('2025-06-03T00:00:00Z');

describe('audience_state', () => {
  let fx: AudienceFixture;
  beforeEach(async () => {
    fx = await openAudienceFixture();
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('is empty before any build', async () => {
    expect((await readAudienceState(fx.warehouse, fx.project)).size).toBe(0);
  });

  it('records one row per audience with its size; changed_at moves only when members change', async () => {
    await recordBuild(fx.warehouse, fx.project, first);
    const before = await readAudienceState(fx.warehouse, fx.project);
    expect([...before.keys()].sort()).toEqual(['lapsed', 'recent', 'vip']);
    expect(before.get('recent')).toMatchObject({ size: 4, built_at: first, changed_at: first });

    // Same members (other order in the view), rebuilt: built_at moves, changed_at stays.
    await recordBuild(fx.warehouse, fx.project, second, { ...MEMBERS, recent: ['p5', 'p4', 'p3', 'p2'] });
    const same = await readAudienceState(fx.warehouse, fx.project);
    expect(same.get('recent')).toMatchObject({ size: 4, built_at: second, changed_at: first });
    expect(same.get('recent')?.fingerprint).toBe(before.get('recent')?.fingerprint);

    // One member swapped for another: same size, new fingerprint, changed_at moves.
    await recordBuild(fx.warehouse, fx.project, third, { ...MEMBERS, recent: ['p2', 'p3', 'p4', 'p6'] });
    const after = await readAudienceState(fx.warehouse, fx.project);
    expect(after.get('recent')).toMatchObject({ size: 4, built_at: third, changed_at: third });
    expect(after.get('recent')?.fingerprint).not.toBe(before.get('recent')?.fingerprint);
    expect(after.get('vip')).toMatchObject({ built_at: third, changed_at: first });
  });

  it('an empty audience has a fingerprint too; audiences gone from the project lose their row', async () => {
    await recordBuild(fx.warehouse, fx.project, first, { ...MEMBERS, lapsed: [] });
    expect((await readAudienceState(fx.warehouse, fx.project)).get('lapsed')).toMatchObject({ size: 0 });

    const project = { ...fx.project, audiences: fx.project.audiences.filter((a) => a.value.name !== 'vip') };
    const { vip: _vip, ...rest } = MEMBERS;
    await recordBuild(fx.warehouse, project, second, rest);
    expect([...(await readAudienceState(fx.warehouse, project)).keys()].sort()).toEqual(['lapsed', 'recent']);
  });
});
