/** Small SQL-building helpers shared by the identity steps. */
import { keepsTempTablesInMemory } from '../warehouse/abilities.js';
import type { ColumnDef, RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';

/** `UNION ALL` of `parts`, or a typed empty SELECT when there are none. */
export function unionAll(ctx: IdentityContext, parts: string[], empty: ColumnDef[]): string {
  if (parts.length > 0) return parts.map((p) => `(${p})`).join('\nUNION ALL\n');
  const cols = empty.map((c) => `${ctx.d.cast('NULL', c.type)} AS ${ctx.d.quoteIdent(c.name)}`);
  return `SELECT ${cols.join(', ')} WHERE 1 = 0`;
}

/** `EXISTS (SELECT 1 FROM ref x WHERE x.c = outer.c …)` over the given column pairs. */
export function existsIn(
  ctx: IdentityContext,
  ref: RelationRef,
  outer: string,
  pairs: Array<[string, string]>,
): string {
  const on = pairs.map(([inner, out]) => `x.${inner} = ${outer}.${out}`).join(' AND ');
  return `EXISTS (SELECT 1 FROM ${ctx.q(ref)} x WHERE ${on})`;
}

/** Creates (replacing) a work table from a SELECT and returns its reference. */
export async function workTable(ctx: IdentityContext, name: string, select: string): Promise<RelationRef> {
  const ref = ctx.work(name);
  await ctx.run(ctx.d.createTempTableAs(ref, select));
  return ref;
}

/**
 * Drops work tables no later step reads, on a warehouse whose temp tables hold the memory the
 * build runs in (DuckDB's memory_limit: kept to the end, the shared-value pairs and the full
 * build's node tables crowd the later steps into spilling). Elsewhere each drop would be one
 * more round trip, and the build's end drops them anyway.
 */
export async function dropWork(ctx: IdentityContext, names: string[]): Promise<void> {
  if (!keepsTempTablesInMemory(ctx.warehouse)) return;
  for (const name of names)
    await ctx.run(ctx.d.dropRelation(ctx.d.tempRelation(`identity_work_${name}`), 'table'));
}

/** Appends a SELECT's rows to a table whose columns are listed. */
export async function appendTo(
  ctx: IdentityContext,
  ref: RelationRef,
  columns: ColumnDef[],
  select: string,
): Promise<void> {
  await ctx.run(
    ctx.d.insertSelect(
      ref,
      columns.map((c) => c.name),
      select,
    ),
  );
}

/** Replaces the rows of `target` that match `changes` on `keys` by the rows of `changes`. */
export async function replaceMatching(
  ctx: IdentityContext,
  target: RelationRef,
  changes: RelationRef,
  keys: string[],
  columns: ColumnDef[],
): Promise<void> {
  await ctx.run(ctx.d.deleteMatching(target, changes, keys));
  const names = columns.map((c) => c.name);
  await ctx.run(
    ctx.d.insertSelect(
      target,
      names,
      `SELECT ${names.map((n) => ctx.d.quoteIdent(n)).join(', ')} FROM ${ctx.q(changes)}`,
    ),
  );
}
