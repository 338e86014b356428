/** The incremental state's bookkeeping: config hash and a "clean" marker. */
import { createHash } from 'node:crypto';
import { relationKind } from '../build/relations.js';
import type { IdentityContext } from './context.js';
import { requiredTables } from './tables.js';

/** Bumped whenever the algorithm changes in a way that invalidates stored state. */
export const IDENTITY_ALGORITHM_VERSION = '4';

/** A hash of everything that shapes the graph: id types, sources, blocklist, thresholds. */
export function configHash(ctx: IdentityContext): string {
  const payload = JSON.stringify({
    v: IDENTITY_ALGORITHM_VERSION,
    identity: ctx.config,
    dialect: ctx.d.name,
  });
  return createHash('sha256').update(payload).digest('hex');
}

/** Why the stored state cannot be continued from, or undefined when it can. */
export async function stateProblem(ctx: IdentityContext, hash: string): Promise<string | undefined> {
  for (const ref of requiredTables(ctx)) {
    if ((await relationKind(ctx.warehouse, ref)) !== 'table')
      return `no previous state (${ref.name} missing)`;
  }
  const rows = await ctx.warehouse.query<{ key: string; value: string }>(
    `SELECT key, value FROM ${ctx.q(ctx.state('meta'))}`,
  );
  const meta = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  if (meta.get('status') !== 'clean') return 'the previous identity build did not finish';
  if (meta.get('config_hash') !== hash) return 'identity.yml changed';
  return undefined;
}

/** Records the state as being written (`dirty`) or complete (`clean`) for `hash`. */
export async function writeMeta(
  ctx: IdentityContext,
  status: 'dirty' | 'clean',
  hash: string,
): Promise<void> {
  const meta = ctx.q(ctx.state('meta'));
  await ctx.run(`DELETE FROM ${meta}`);
  await ctx.run(
    `INSERT INTO ${meta} (key, value) VALUES ('status', ${ctx.d.literal(status)}), ('config_hash', ${ctx.d.literal(hash)})`,
  );
}
