import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DestinationRecord, RecordResult } from '../../src/destination-kit/index.js';
import {
  createDestinationContext,
  DestinationError,
  defineDestination,
  invokePrimitive,
  isSecretSchema,
  modeRemoves,
  parseSettings,
  primitiveFor,
  requiredPrimitives,
  secret,
  secretSettingNames,
  secretSettingValues,
} from '../../src/destination-kit/index.js';
import { capturingLogger } from './harness.js';

const settings = z.object({
  api_key: secret(z.string().min(4)),
  headers: secret(z.record(z.string(), z.string()).default({})),
  region: z.string().default('eu'),
  token: secret(z.string()).optional(),
});
const ok = async (_ctx: unknown, records: DestinationRecord[]): Promise<RecordResult[]> =>
  records.map(() => ({ status: 'ok' }));
const base = {
  type: 'demo',
  description: 'test destination',
  settings,
  capabilities: { modes: ['upsert' as const], batch: { maxRecords: 10 }, concurrency: 1 },
  upsert: ok,
};

describe('defineDestination', () => {
  it('accepts a complete declaration and freezes it', () => {
    const destination = defineDestination(base);
    expect(destination.kind).toBe('weft.destination');
    expect(Object.isFrozen(destination)).toBe(true);
  });

  it('refuses a mode without its primitives and bad limits', () => {
    expect(() =>
      defineDestination({ ...base, capabilities: { ...base.capabilities, modes: ['mirror'] } }),
    ).toThrow(/mode 'mirror' needs the 'remove' primitive/);
    expect(() =>
      defineDestination({ ...base, capabilities: { ...base.capabilities, batch: { maxRecords: 0 } } }),
    ).toThrow(/maxRecords/);
    expect(() =>
      defineDestination({
        ...base,
        capabilities: { ...base.capabilities, rateLimit: { requests: 0, perMs: 1000 } },
      }),
    ).toThrow(/rateLimit/);
    expect(() => defineDestination({ ...base, type: 'Bad-Name' })).toThrow(/snake_case/);
  });
});

describe('settings', () => {
  const destination = defineDestination(base);

  it('finds secret fields through optional/default wrappers, and their values including maps', () => {
    expect(isSecretSchema(settings.shape.token)).toBe(true);
    expect(isSecretSchema(settings.shape.region)).toBe(false);
    expect(secretSettingNames(destination)).toEqual(['api_key', 'headers', 'token']);
    const parsed = parseSettings(destination, {
      type: 'demo',
      api_key: 'key-1234',
      headers: { 'x-auth': 'hdr-5678' },
    });
    expect(parsed.region).toBe('eu');
    expect(secretSettingValues(destination, parsed).sort()).toEqual(['hdr-5678', 'key-1234']);
  });

  it('throws a config DestinationError naming every bad field', () => {
    const error = (() => {
      try {
        parseSettings(destination, { region: 5 });
      } catch (e) {
        return e as DestinationError;
      }
    })();
    expect(error).toBeInstanceOf(DestinationError);
    expect(error?.kind).toBe('config');
    expect(error?.message).toMatch(/api_key/);
    expect(error?.message).toMatch(/region/);
  });

  it('redacts secret settings from what primitives log', () => {
    const logger = capturingLogger();
    const ctx = createDestinationContext(destination, parseSettings(destination, { api_key: 'key-1234' }), {
      syncName: 's',
      runId: 'r',
      mode: 'upsert',
      logger,
    });
    ctx.logger.info('calling with key-1234', { auth: 'Bearer key-1234' });
    expect(logger.lines.join('\n')).not.toContain('key-1234');
    expect(logger.lines[0]).toContain('***');
  });
});

describe('modes', () => {
  it('routes changes to primitives; only mirror and membership remove', () => {
    expect(primitiveFor('upsert', 'removed')).toBeUndefined();
    expect(primitiveFor('insert', 'changed')).toBeUndefined();
    expect(primitiveFor('mirror', 'removed')).toBe('remove');
    expect(primitiveFor('membership', 'added')).toBe('addMembers');
    expect(requiredPrimitives('mirror').sort()).toEqual(['remove', 'upsert']);
    expect(
      ['upsert', 'update', 'insert', 'mirror', 'membership'].filter((m) => modeRemoves(m as never)),
    ).toEqual(['mirror', 'membership']);
  });
});

describe('invokePrimitive', () => {
  const records: DestinationRecord[] = [
    { key: 'a', op: 'added', fields: {} },
    { key: 'b', op: 'added', fields: {} },
  ];
  const ctx = (d: typeof destination) =>
    createDestinationContext(d, parseSettings(d, { api_key: 'key-1234' }), {
      syncName: 's',
      runId: 'r',
      mode: 'upsert',
    });
  const destination = defineDestination(base);

  it('returns one result per record', async () => {
    expect(await invokePrimitive(destination, 'upsert', ctx(destination), records)).toHaveLength(2);
    expect(await invokePrimitive(destination, 'upsert', ctx(destination), [])).toEqual([]);
  });

  it('turns a wrong result count or a missing primitive into a config error', async () => {
    const short = defineDestination({ ...base, upsert: async () => [{ status: 'ok' }] });
    const error = await invokePrimitive(short, 'upsert', ctx(short), records).catch((e: unknown) => e);
    expect((error as DestinationError).kind).toBe('config');
    expect((error as Error).message).toMatch(/returned 1 results for 2 records/);
    const missing = await invokePrimitive(short, 'remove', ctx(short), records).catch((e: unknown) => e);
    expect((missing as DestinationError).kind).toBe('config');
  });
});
