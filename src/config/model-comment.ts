/**
 * A model's leading config comment:
 *
 *   /* config:
 *     materialized: incremental
 *     unique_key: order_id
 *   *\/
 *   select …
 *
 * Only a block comment that opens the file and whose first word is `config:` counts; any other
 * comment is just a comment.
 */

/** The YAML inside a config comment and where it starts in the .sql file (1-based). */
export interface ConfigComment {
  yaml: string;
  line: number;
  column: number;
}

const OPENING = /^\s*\/\*[ \t]*(?=\s*config\s*:)/;

/** The config comment of a model's SQL; `error` when it is opened but never closed. */
export function findConfigComment(sql: string): { comment?: ConfigComment; error?: string } {
  const opening = OPENING.exec(sql);
  if (!opening) return {};
  const start = opening[0].length;
  const end = sql.indexOf('*/', start);
  if (end < 0) return { error: "the config comment opened with '/*' is never closed with '*/'" };
  const before = sql.slice(0, start);
  const lines = before.split('\n');
  return {
    comment: {
      yaml: sql.slice(start, end),
      line: lines.length,
      column: lines[lines.length - 1]!.length + 1,
    },
  };
}
