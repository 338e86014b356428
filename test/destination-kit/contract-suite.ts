/**
 * The contract every destination must pass against its emulator (or local environment):
 * batch limits respected, 429/5xx surfaced as retryable, a bad record rejected alone, bad
 * credentials stop the batch, upsert twice is idempotent, deletes only where the mode allows.
 * Usage (test/destinations/<name>.test.ts): runContractSuite('<type>', makeHarness).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDestination } from '../../destinations/index.js';
import {
  type AnyDestination,
  createDestinationContext,
  type DestinationContext,
  DestinationError,
  type DestinationRecord,
  effectiveLimits,
  invokePrimitive,
  modeRemoves,
  type PrimitiveName,
  parseSettings,
  primitiveFor,
  type RecordOp,
  type SyncMode,
  secretSettingValues,
} from '../../src/destination-kit/index.js';
import { type ContractHarness, capturingLogger, defaultFields, type MakeHarness } from './harness.js';

/** Catches the error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<DestinationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DestinationError);
  return error as DestinationError;
}

/** Which parts apply: destinations without HTTP (e.g. file) have no faults to inject or records to refuse. */
export interface ContractOptions {
  /** Run the 429/5xx/reset test (needs harness.injectFaults). Default true. */
  faults?: boolean;
  /** Run the bad-record test (needs harness.rejection). Default true. */
  rejection?: boolean;
}

/** Runs the contract suite for `destinationType` with a fresh harness per test. */
export function runContractSuite(
  destinationType: string,
  makeHarness: MakeHarness,
  options: ContractOptions = {},
): void {
  describe(`destination contract: ${destinationType}`, () => {
    const destination = getDestination(destinationType) as AnyDestination;
    let harness: ContractHarness;
    let logger: ReturnType<typeof capturingLogger>;
    let syncName: string;
    let runCounter = 0;

    beforeEach(async () => {
      harness = await makeHarness();
      logger = capturingLogger();
      syncName = `contract_${randomUUID().slice(0, 8)}`;
      acknowledged.clear();
    });
    afterEach(async () => {
      await harness.close();
    });

    const context = (mode: SyncMode, settings = harness.settings): DestinationContext =>
      createDestinationContext(destination, parseSettings(destination, settings), {
        syncName,
        // Increasing run ids: destinations that name outputs per run (file) sort in call order.
        runId: `run-${String(++runCounter).padStart(6, '0')}`,
        mode,
        matchOn: harness.matchOn ?? 'email',
        object: harness.object ?? 'contacts',
        ...(mode === 'membership' && harness.list !== undefined && { list: harness.list }),
        logger,
      });
    const fields = (i: number) => (harness.fields ?? defaultFields)(i);
    /** Destination ids acknowledged so far, by key: removals carry them, as the runner's snapshot does. */
    const acknowledged = new Map<string, string>();
    const records = (from: number, count: number, op: RecordOp = 'added'): DestinationRecord[] =>
      Array.from({ length: count }, (_, n) => {
        const key = `k${from + n}`;
        const id = op === 'removed' ? acknowledged.get(key) : undefined;
        return {
          key,
          op,
          fields: op === 'removed' ? {} : fields(from + n),
          ...(id && { destinationId: id }),
        };
      });
    /** The primitive the runner uses for added rows in the first declared mode, and that mode. */
    const writeMode = (): SyncMode => destination.capabilities.modes[0] as SyncMode;
    const writer = (): PrimitiveName => primitiveFor(writeMode(), 'added') as PrimitiveName;
    const send = async (recs: DestinationRecord[], ctx = context(writeMode())) => {
      const results = await invokePrimitive(destination, writer(), ctx, recs);
      results.forEach((result, index) => {
        const key = recs[index]?.key;
        if (result.status === 'ok' && result.destinationId && key)
          acknowledged.set(key, result.destinationId);
      });
      return results;
    };

    it('is registered, parses its settings and never logs a secret', async () => {
      expect(destination?.type).toBe(destinationType);
      const settings = parseSettings(destination, harness.settings);
      await send(records(0, 3));
      const secrets = secretSettingValues(destination, settings);
      for (const value of secrets) expect(logger.lines.join('\n')).not.toContain(value);
      const error = await rejectionOf(
        send(records(0, 1), context(writeMode(), harness.invalidCredentials.settings)),
      );
      for (const value of secrets) expect(error.message).not.toContain(value);
    });

    it('sends a full batch as one batch and neither splits nor truncates an oversized one', async () => {
      const limits = effectiveLimits(destination, parseSettings(destination, harness.settings));
      const max = harness.maxAcceptedRecords ?? limits.batch.maxRecords;
      expect(limits.batch.maxRecords).toBeLessThanOrEqual(max);
      const full = await send(records(0, limits.batch.maxRecords));
      expect(full.filter((r) => r.status === 'ok')).toHaveLength(limits.batch.maxRecords);
      if (harness.batchSizes) expect(await harness.batchSizes()).toEqual([limits.batch.maxRecords]);
      if (harness.maxAcceptedRecords !== undefined) {
        // Handing a primitive more than the environment accepts must fail loudly, not be split.
        const error = await rejectionOf(send(records(max, max + 1)));
        expect(error.kind).toBe('record');
        expect(Object.keys(await harness.readState(syncName))).toHaveLength(limits.batch.maxRecords);
        if (harness.batchSizes) expect(await harness.batchSizes()).toEqual([limits.batch.maxRecords]);
      }
    });

    const faultTest = options.faults === false ? undefined : it;
    faultTest?.(
      'surfaces 429 as rate_limit with retryAfterMs, 5xx and resets as retryable, then succeeds',
      async () => {
        const inject = harness.injectFaults;
        if (!inject) throw new Error('the harness must provide injectFaults (or pass { faults: false })');
        await inject({ fail: [{ kind: 'status', status: 429, retryAfter: '2' }] });
        const limited = await rejectionOf(send(records(0, 2)));
        expect([limited.kind, limited.retryAfterMs]).toEqual(['rate_limit', 2000]);
        await inject({ fail: [{ kind: 'status', status: 503 }, { kind: 'reset' }] });
        expect((await rejectionOf(send(records(0, 2)))).kind).toBe('retryable');
        expect((await rejectionOf(send(records(0, 2)))).kind).toBe('retryable');
        const retried = await send(records(0, 2));
        expect(retried.map((r) => r.status)).toEqual(['ok', 'ok']);
        expect(Object.keys(await harness.readState(syncName)).sort()).toEqual(['k0', 'k1']);
      },
    );

    const rejectionTest = options.rejection === false ? undefined : it;
    rejectionTest?.('rejects a bad record alone, with a reason, one result per record', async () => {
      const rejection = harness.rejection;
      if (!rejection) throw new Error('the harness must provide rejection (or pass { rejection: false })');
      await rejection.prepare();
      const batch = records(0, 5);
      batch[2] = { key: 'k2', op: 'added', fields: rejection.fields(2) };
      const results = await send(batch);
      expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'rejected', 'ok', 'ok']);
      const rejected = results[2];
      expect(rejected?.status === 'rejected' && rejected.reason.length > 0).toBe(true);
      expect(Object.keys(await harness.readState(syncName)).sort()).toEqual(['k0', 'k1', 'k3', 'k4']);
    });

    it('fails the whole batch on bad credentials, applying nothing', async () => {
      const { settings, kind } = harness.invalidCredentials;
      const error = await rejectionOf(send(records(0, 3), context(writeMode(), settings)));
      expect(error.kind).toBe(kind);
      expect(error.isFatal).toBe(true);
      expect(await harness.readState(syncName)).toEqual({});
    });

    it('is idempotent: the same upsert twice leaves the same state', async () => {
      await send(records(0, 4));
      const once = await harness.readState(syncName);
      expect(Object.keys(once)).toHaveLength(4);
      await send(records(0, 4, 'changed'));
      expect(await harness.readState(syncName)).toEqual(once);
    });

    it('deletes only in modes that remove, and only the removed keys', async () => {
      for (const mode of destination.capabilities.modes) {
        const removal = primitiveFor(mode, 'removed');
        expect(removal === undefined).toBe(!modeRemoves(mode));
        if (removal) expect(typeof destination[removal]).toBe('function');
      }
      // Writes never delete: every mode's add/change primitive keeps earlier keys.
      await send(records(0, 3));
      for (const mode of destination.capabilities.modes) {
        const primitive = primitiveFor(mode, 'added');
        if (primitive) await invokePrimitive(destination, primitive, context(mode), records(10, 1));
      }
      expect(Object.keys(await harness.readState(syncName))).toEqual(
        expect.arrayContaining(['k0', 'k1', 'k2']),
      );
      if (!destination.capabilities.modes.includes('mirror')) return;
      const results = await invokePrimitive(
        destination,
        'remove',
        context('mirror'),
        records(1, 1, 'removed'),
      );
      expect(results.map((r) => r.status)).toEqual(['ok']);
      const state = await harness.readState(syncName);
      expect(Object.keys(state)).toContain('k0');
      expect(Object.keys(state)).not.toContain('k1');
    });
  });
}
