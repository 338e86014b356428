/**
 * Writing `audience_members` during a build: rows go into a scratch table audience by audience
 * (so one failing audience is caught on its own), then the scratch table is swapped in in one
 * transaction, like src/build/materialize-table.ts: readers see the previous table or the new
 * one, never a half-written one. Audiences that failed or were skipped keep their rows from the
 * previous build (as their views and `audience_state` rows stay as they were); audiences no
 * longer in the project lose theirs.
 */
import { dropQuietly, relationKind, scratchRelation } from '../build/relations.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { MEMBER_COLUMNS, type MemberSource, memberRowsSql } from './members.js';

/** The members table being written: add audiences, then `commit` (or `discard`). */
export interface MembersWriter {
  /** Inserts one built audience's rows from its view (throws when the view fails to evaluate). */
  add(source: MemberSource): Promise<void>;
  /** Copies the previous rows of `kept` audiences, then swaps the new table in. */
  commit(kept: string[]): Promise<void>;
  /** Drops the scratch table (after a commit it is already gone). */
  discard(): Promise<void>;
}

/** Starts a fresh scratch table next to `target`. */
export async function openMembersWriter(warehouse: Warehouse, target: RelationRef): Promise<MembersWriter> {
  const { dialect } = warehouse;
  const fresh = scratchRelation(target, 'tmp');
  const old = scratchRelation(target, 'old');
  const names = MEMBER_COLUMNS.map((c) => c.name);
  await dropQuietly(warehouse, [fresh, old]);
  await warehouse.execute(dialect.createTable(fresh, MEMBER_COLUMNS, { replace: true }));
  return {
    async add(source) {
      await warehouse.execute(dialect.insertSelect(fresh, names, memberRowsSql(dialect, source)));
    },
    async commit(kept) {
      const existing = await relationKind(warehouse, target);
      if (existing === 'table' && kept.length > 0) {
        const list = kept.map((name) => dialect.literal(name)).join(', ');
        await warehouse.execute(
          dialect.insertSelect(
            fresh,
            names,
            `SELECT ${names.join(', ')} FROM ${dialect.qualify(target)} WHERE audience IN (${list})`,
          ),
        );
      }
      // One transaction: readers see the old table or the new one, never neither.
      await warehouse.transaction(async () => {
        if (existing === 'view') await warehouse.execute(dialect.dropRelation(target, 'view'));
        if (existing === 'table') await warehouse.execute(dialect.renameTable(target, old.name));
        await warehouse.execute(dialect.renameTable(fresh, target.name));
      });
      await dropQuietly(warehouse, [old]);
    },
    async discard() {
      await dropQuietly(warehouse, [fresh, old]);
    },
  };
}
