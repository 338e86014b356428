/**
 * Postgres binds a view to the tables it reads (by OID), where DuckDB resolves names whenever
 * the view is queried. Replacing a table that views read (DROP + CREATE, or the build's rename
 * swap) would fail ("other objects depend on it") or leave the views reading the old table.
 * These DO blocks keep DuckDB's by-name behaviour: the views that read the replaced table are
 * re-pointed at its successor with `CREATE OR REPLACE VIEW` and their own definition, which
 * keeps the views' dependents intact. When the successor lacks what a view needs, the whole
 * statement fails and nothing changes. Pure string building, like the rest of the dialect.
 * Definitions wait in the session table pg_temp.weft_views_to_rebind, keyed by the qualified
 * table name, so a rename swap (target → old, fresh → target) re-points them at the second step.
 */

const DO_TAG = '$weft_do$';
const PENDING = 'pg_temp.weft_views_to_rebind';

/** SQL pieces: `sql` is the qualified name in SQL, `key` it as a string literal. */
export interface TableNames {
  sql: string;
  key: string;
}

function doBlock(body: string): string {
  if (body.includes(DO_TAG)) throw new Error(`SQL for Postgres cannot contain ${DO_TAG}`);
  return `DO ${DO_TAG}\nDECLARE\n  weft_view record;\nBEGIN\n${body}\nEND\n${DO_TAG}`;
}

/** Remembers the definitions of the views reading `table` (none when it does not exist). */
function rememberViews(table: TableNames): string {
  return `  CREATE TEMP TABLE IF NOT EXISTS weft_views_to_rebind (for_name text, view_name text, def text);
  DELETE FROM ${PENDING} WHERE for_name = ${table.key};
  INSERT INTO ${PENDING}
    SELECT DISTINCT ${table.key}, format('%I.%I', vn.nspname, vc.relname), regexp_replace(pg_get_viewdef(vc.oid), ';\\s*$', '')
    FROM pg_catalog.pg_depend dep
    JOIN pg_catalog.pg_rewrite rw ON rw.oid = dep.objid
    JOIN pg_catalog.pg_class vc ON vc.oid = rw.ev_class
    JOIN pg_catalog.pg_namespace vn ON vn.oid = vc.relnamespace
    WHERE dep.classid = 'pg_catalog.pg_rewrite'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
      AND dep.refobjid = to_regclass(${table.key}) AND vc.oid <> dep.refobjid AND vc.relkind = 'v';`;
}

/** Re-points the remembered views of the name `table` at whatever now has that name. */
function rebindViews(table: TableNames): string {
  return `  FOR weft_view IN SELECT view_name, def FROM ${PENDING} WHERE for_name = ${table.key} LOOP
    EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', weft_view.view_name, weft_view.def);
  END LOOP;
  DELETE FROM ${PENDING} WHERE for_name = ${table.key};`;
}

/**
 * Drops `target` and runs `create` (a string literal holding the statement that creates it
 * anew), re-pointing the views that read it. With such views the old table is first renamed to
 * `aside` (a free name in the same schema) and dropped once they moved.
 */
export function replaceTableKeepingViews(
  target: TableNames,
  aside: { name: string; sql: string },
  create: string,
): string {
  return doBlock(`${rememberViews(target)}
  IF EXISTS (SELECT 1 FROM ${PENDING} WHERE for_name = ${target.key}) THEN
    DROP TABLE IF EXISTS ${aside.sql};
    ALTER TABLE ${target.sql} RENAME TO ${aside.name};
  ELSE
    DROP TABLE IF EXISTS ${target.sql};
  END IF;
  EXECUTE ${create};
${rebindViews(target)}
  DROP TABLE IF EXISTS ${aside.sql};`);
}

/**
 * `ALTER TABLE from RENAME TO to`: the views reading `from` are remembered under its name and
 * re-pointed when a table is later renamed to that name (the swap's second step); views
 * remembered for `to` move to the renamed table now.
 */
export function renameTableKeepingViews(from: TableNames, toName: string, to: TableNames): string {
  return doBlock(`${rememberViews(from)}
  ALTER TABLE ${from.sql} RENAME TO ${toName};
${rebindViews(to)}`);
}

/**
 * `CREATE OR REPLACE VIEW view AS select` (`create`, a string literal). Postgres refuses that
 * when the new columns drop, rename or retype old ones (SQLSTATE 42P16), where DuckDB simply
 * replaces the view; then the view is dropped with the views built on it (at any depth) and
 * all are created again from their definitions, innermost first. If one of them no longer
 * fits, the statement fails and nothing changes.
 */
export function replaceViewKeepingViews(view: TableNames, create: string, dropAndCreate: string): string {
  return doBlock(`  BEGIN
    EXECUTE ${create};
  EXCEPTION WHEN invalid_table_definition THEN
    CREATE TEMP TABLE IF NOT EXISTS weft_views_to_recreate (depth int, view_name text, def text);
    DELETE FROM pg_temp.weft_views_to_recreate;
    INSERT INTO pg_temp.weft_views_to_recreate
      WITH RECURSIVE dependents(oid, depth) AS (
        SELECT to_regclass(${view.key})::oid, 0
        UNION
        SELECT vc.oid, dependents.depth + 1
        FROM dependents
        JOIN pg_catalog.pg_depend dep ON dep.refobjid = dependents.oid
          AND dep.classid = 'pg_catalog.pg_rewrite'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
        JOIN pg_catalog.pg_rewrite rw ON rw.oid = dep.objid
        JOIN pg_catalog.pg_class vc ON vc.oid = rw.ev_class AND vc.oid <> dependents.oid AND vc.relkind = 'v'
        WHERE dependents.depth < 50
      )
      SELECT max(d.depth), format('%I.%I', vn.nspname, vc.relname), regexp_replace(pg_get_viewdef(vc.oid), ';\\s*$', '')
      FROM dependents d JOIN pg_catalog.pg_class vc ON vc.oid = d.oid JOIN pg_catalog.pg_namespace vn ON vn.oid = vc.relnamespace
      WHERE d.depth > 0
      GROUP BY vc.oid, vn.nspname, vc.relname;
    EXECUTE ${dropAndCreate};
    FOR weft_view IN SELECT view_name, def FROM pg_temp.weft_views_to_recreate ORDER BY depth LOOP
      EXECUTE format('CREATE VIEW %s AS %s', weft_view.view_name, weft_view.def);
    END LOOP;
    DELETE FROM pg_temp.weft_views_to_recreate;
  END;`);
}
