import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudienceSizes, recordAudienceSizes, SIZES_KEPT } from '../../src/audiences/size-history.js';
import { type AudienceFixture, openAudienceFixture } from './fixture.js';

const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n));

describe('audience_sizes', () => {
  let fx: AudienceFixture;
  beforeEach(async () => {
    fx = await openAudienceFixture();
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('is empty before any build, then keeps one size per audience per build, oldest first', async () => {
    expect((await readAudienceSizes(fx.warehouse, fx.project)).size).toBe(0);
    await recordAudienceSizes(fx.warehouse, fx.project, [{ name: 'vip', size: 3, fingerprint: 'a' }], day(0));
    await recordAudienceSizes(
      fx.warehouse,
      fx.project,
      [
        { name: 'vip', size: 5, fingerprint: 'b' },
        { name: 'recent', size: 1, fingerprint: 'c' },
      ],
      day(1),
    );
    const sizes = await readAudienceSizes(fx.warehouse, fx.project);
    expect(sizes.get('vip')?.map((s) => [s.built_at.toISOString(), s.size])).toEqual([
      [day(0).toISOString(), 3],
      [day(1).toISOString(), 5],
    ]);
    expect(sizes.get('recent')?.map((s) => s.size)).toEqual([1]);
  });

  it(`keeps the newest ${SIZES_KEPT} builds`, async () => {
    for (let n = 0; n < SIZES_KEPT + 3; n++)
      await recordAudienceSizes(
        fx.warehouse,
        fx.project,
        [{ name: 'vip', size: n, fingerprint: 'x' }],
        day(n),
      );
    const kept = (await readAudienceSizes(fx.warehouse, fx.project)).get('vip') ?? [];
    expect(kept).toHaveLength(SIZES_KEPT);
    expect(kept[0]?.size).toBe(3);
    expect(kept.at(-1)?.size).toBe(SIZES_KEPT + 2);
  });
});
