/** A leading `/* config: … *\/` block, possibly after blank lines or whitespace. */
const LEADING_CONFIG_BLOCK = /^\s*\/\*\s*config\s*:[\s\S]*?\*\//;

/**
 * Blanks out a model's leading config block, keeping its newlines so that template errors
 * still report the line of the original file.
 */
export function blankConfigBlock(sql: string): string {
  return sql.replace(LEADING_CONFIG_BLOCK, (block) => block.replace(/[^\n]/g, ''));
}

/**
 * Normalizes rendered SQL: no leading blank lines or trailing whitespace or `;`, and one
 * trailing newline (so a trailing `-- comment` can never swallow SQL appended after it).
 */
export function tidyCompiledSql(sql: string): string {
  const body = sql.replace(/^\s*\n/, '').replace(/[\s;]+$/, '');
  return `${body}\n`;
}
