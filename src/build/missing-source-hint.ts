/**
 * A new user's first build usually fails on a source table nobody loaded yet. The engine's
 * message ("Table with name raw.customers does not exist") says what, not how to fix it: this
 * adds how, naming the declared source table and the command that loads it.
 */
import type { Project } from '../config/types.js';

/** The spellings of `schema.name` an engine's message may use, quoted or not. */
function spellings(schema: string, name: string): string[] {
  return [`${schema}.${name}`, `"${schema}"."${name}"`, `\`${schema}\`.\`${name}\``, `${schema}"."${name}`];
}

/** Whether the message says a relation is missing (DuckDB, Postgres, BigQuery, Snowflake wordings). */
const MISSING = /does not exist|not found|no such (table|relation)|does not exist or not authorized/i;

/**
 * `message` plus a hint when it reports a declared source table as missing; `message` unchanged
 * otherwise.
 */
export function withMissingSourceHint(project: Project, message: string): string {
  if (!MISSING.test(message)) return message;
  const lower = message.toLowerCase();
  for (const source of project.sources) {
    for (const table of source.tables) {
      const schema = table.schema ?? source.schema;
      if (!spellings(schema.toLowerCase(), table.identifier.toLowerCase()).some((s) => lower.includes(s)))
        continue;
      const ref = `${source.name}.${table.name}`;
      return (
        `${message}\n` +
        `  ${schema}.${table.identifier} is the source table ${ref} (models/sources.yml), and nothing has loaded it yet.\n` +
        `  Load your export: weft load path/to/${table.name}.csv --into ${ref}\n` +
        `  or read files in place: give the table \`files:\` in models/sources.yml (docs/your-data.md).`
      );
    }
  }
  return message;
}
