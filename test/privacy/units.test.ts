/** The small pure parts of privacy: hashing, deadlines, request files, source delete statements. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { peopleFromFile } from '../../src/cli/privacy.js';
import { daysLeft, dueDate } from '../../src/privacy/deadlines.js';
import { hashExpr, identifierHash } from '../../src/privacy/hash.js';
import { renderSourceDelete } from '../../src/privacy/weft-data.js';
import { memoryWarehouse } from '../sync/helpers.js';

describe('privacy helpers', () => {
  it('hashes identifiers the same in TypeScript and in the warehouse', async () => {
    const warehouse = await memoryWarehouse();
    try {
      const [row] = await warehouse.query(
        `SELECT ${hashExpr(warehouse.dialect, warehouse.dialect.literal('  Ann@Acme.IO '))} AS h`,
      );
      expect(row?.h).toBe(identifierHash('  Ann@Acme.IO '));
      expect(identifierHash('Ann@Acme.IO')).toBe(createHash('sha256').update('ann@acme.io').digest('hex'));
    } finally {
      await warehouse.close();
    }
  });

  it('computes deadlines per regulation, configurable, from an injected clock', () => {
    const received = new Date('2026-01-10T12:00:00Z');
    expect(dueDate(undefined, 'gdpr', received).toISOString()).toBe('2026-02-09T12:00:00.000Z');
    expect(dueDate(undefined, 'ccpa', received).toISOString()).toBe('2026-02-24T12:00:00.000Z');
    const config = { regulation: 'gdpr' as const, deadlines: { gdpr: 20, ccpa: 45 }, warn_days: 7 };
    expect(dueDate(config, 'gdpr', received).toISOString()).toBe('2026-01-30T12:00:00.000Z');
    expect(daysLeft(new Date('2026-01-30T12:00:00Z'), new Date('2026-01-28T13:00:00Z'))).toBe(1);
    expect(daysLeft(new Date('2026-01-30T12:00:00Z'), new Date('2026-01-31T12:00:00Z'))).toBe(-1);
  });

  it('reads a request file: one person per line, comma-separated identifiers, comments', () => {
    expect(
      peopleFromFile('# header\nemail:a@x.io, phone:+1 415 555 2671\n\n  user_id:7\t email:b@x.io # late\n'),
    ).toEqual([
      ['email:a@x.io', 'phone:+1 415 555 2671'],
      ['user_id:7', 'email:b@x.io'],
    ]);
  });

  it('renders a source delete statement with hashes only', async () => {
    const warehouse = await memoryWarehouse();
    try {
      const sql = renderSourceDelete(
        warehouse,
        'DELETE FROM raw.c WHERE {{hash email}} IN {{suppressed}} OR {{ hash  lower(alt) }} IN {{suppressed}}',
        "(SELECT id_hash FROM s WHERE request_id IN ('r1'))",
      );
      expect(sql).toBe(
        "DELETE FROM raw.c WHERE sha256(lower(trim(CAST(email AS VARCHAR)))) IN (SELECT id_hash FROM s WHERE request_id IN ('r1')) OR sha256(lower(trim(CAST(lower(alt) AS VARCHAR)))) IN (SELECT id_hash FROM s WHERE request_id IN ('r1'))",
      );
    } finally {
      await warehouse.close();
    }
  });
});
