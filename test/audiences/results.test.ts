/** Every operator and node type on the hand-made fixture: exact member sets (see cases.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudiences } from '../../src/audiences/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { cases } from './cases.js';
import { AS_OF, idsOf, openFixtureWarehouse, projectWith } from './fixture.js';

let warehouse: Warehouse;
const audiences = Object.fromEntries(Object.entries(cases).map(([name, c]) => [name, c.audience]));

beforeAll(async () => {
  warehouse = await openFixtureWarehouse();
  const report = await buildAudiences(projectWith(audiences, { vars: { min_ltv: 600 } }), warehouse, {
    asOf: AS_OF,
  });
  expect(report.failed).toEqual([]);
  expect(report.skipped).toEqual([]);
});
afterAll(async () => {
  await warehouse.close();
});

describe('audience members on the fixture', () => {
  for (const [name, { expected }] of Object.entries(cases)) {
    it(`${name} holds ${expected.join(', ') || 'nobody'}`, async () => {
      expect(await idsOf(warehouse, `weft.audience_${name}`)).toEqual(expected);
    });
  }
});
