import type { CompileIssue } from './errors.js';

/** Handlebars appends ` - line:column` to runtime and compile errors. */
const TRAILING_POSITION = / - (\d+):(\d+)$/;
/** Handlebars parse errors start with `Parse error on line N:`. */
const PARSE_ERROR = /^Parse error on line (\d+):\n([\s\S]*)$/;
/** Strict mode's message for an unknown name: `"foo" not defined in <context>`. */
const NOT_DEFINED = /^"([^"]+)" not defined in /;
const UNKNOWN_HELPER = /^You specified knownHelpersOnly, but used the unknown helper (\S+)/;

/**
 * Turns a handlebars error into an issue on `file` with its line, and a message that talks
 * about weft's helpers rather than handlebars internals.
 */
export function templateErrorIssue(file: string, error: unknown): CompileIssue {
  const raw = error instanceof Error ? error.message : String(error);
  const parse = PARSE_ERROR.exec(raw);
  if (parse) {
    return { file, line: Number(parse[1]), message: `template syntax error:\n${parse[2]}` };
  }
  const position = TRAILING_POSITION.exec(raw);
  const line = position ? Number(position[1]) : undefined;
  const message = position ? raw.slice(0, position.index) : raw;
  const helper = UNKNOWN_HELPER.exec(message);
  const unknown = NOT_DEFINED.exec(message);
  const known = 'ref, source, var, this, is_incremental';
  let text = `template error: ${message}`;
  if (helper) text = `unknown helper '${helper[1]}' (known: ${known})`;
  else if (unknown) text = `'{{${unknown[1]}}}' is not defined (known: ${known})`;
  return line === undefined ? { file, message: text } : { file, line, message: text };
}
