import { describe, expect, it } from 'vitest';
import { withMissingSourceHint } from '../../src/build/missing-source-hint.js';
import type { Project } from '../../src/config/types.js';

const project = {
  sources: [{ name: 'shop', schema: 'raw', tables: [{ name: 'orders', identifier: 'shop_orders' }] }],
} as unknown as Project;

describe('withMissingSourceHint', () => {
  it.each([
    [
      'duckdb',
      'Catalog Error: Table with name "raw"."shop_orders" does not exist because schema "raw" does not exist.',
    ],
    ['postgres', 'relation "raw.shop_orders" does not exist'],
    ['bigquery', 'Not found: Table my-project:raw.shop_orders was not found in location US'],
    ['snowflake', "Object 'RAW.SHOP_ORDERS' does not exist or not authorized."],
  ])('names the source table and how to load it (%s wording)', (_engine, message) => {
    const hinted = withMissingSourceHint(project, message);
    expect(hinted.startsWith(message)).toBe(true);
    expect(hinted).toContain('is the source table shop.orders');
    expect(hinted).toContain('weft load path/to/orders.csv --into shop.orders');
  });

  it('leaves other failures alone', () => {
    expect(withMissingSourceHint(project, 'relation "weft.stg_orders" does not exist')).toBe(
      'relation "weft.stg_orders" does not exist',
    );
    expect(withMissingSourceHint(project, 'division by zero near raw.shop_orders')).toBe(
      'division by zero near raw.shop_orders',
    );
  });
});
