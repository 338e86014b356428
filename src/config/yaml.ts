/**
 * YAML parsing that keeps source positions, so every problem can be reported as
 * file:line:column. A parsed file can sit inside another file (a model's leading comment
 * block); `origin` maps its positions back to the enclosing file.
 */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type ConfigIssue, formatPath, type PathSegment } from './issues.js';

/** A 1-based position in a file. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed YAML file plus what is needed to point into it. */
export interface YamlFile {
  /** Path relative to the project directory. */
  file: string;
  doc: Document;
  /** Syntax errors from the parser (the document is unusable when there are any). */
  syntaxIssues: ConfigIssue[];
  /** The file position of a character offset in the parsed text. */
  position(offset: number): Position;
}

/** Parses `text`; `origin` is where the text starts in `file` (default 1:1). */
export function parseYaml(file: string, text: string, origin: Position = { line: 1, column: 1 }): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return line === 1
      ? { line: origin.line, column: origin.column + col - 1 }
      : { line: origin.line + line - 1, column: col };
  };
  // One mistake often makes the parser report several errors further down: the first is the
  // one to fix, so it is the only one reported (in plain words where it has a common cause).
  const syntaxIssues: ConfigIssue[] = [];
  const [error] = doc.errors;
  if (error) {
    const offset = error.pos[0];
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    syntaxIssues.push({
      file,
      ...position(offset),
      message: `YAML syntax error: ${plainWords(error.code, message, text, offset)}`,
    });
  }
  return { file, doc, syntaxIssues, position };
}

/** A parser message in the words of the mistake that usually causes it. */
function plainWords(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':#\n]+?)["']?\s*:/.exec(text.slice(offset))?.[1];
    return `${key ? `'${key.trim()}' is` : 'a key is'} set twice in the same mapping: keep one of them`;
  }
  if (code === 'TAB_AS_INDENT') return 'a tab is used to indent: YAML indents with spaces only';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR')
    return `${message} (check the indentation and the ':' after each key on this line and the one before)`;
  return message;
}

/** The JS value of a parsed file (call after any in-place rendering of the document). */
export function yamlValue(yaml: YamlFile): unknown {
  return yaml.doc.toJS({ maxAliasCount: 1000 });
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function hasContent(node: unknown): node is { range: [number, number, number] } {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range !== undefined && range[1] > range[0];
}

/**
 * Where the node at `path` is. When the path does not fully exist (a missing key), this is
 * the deepest existing ancestor: the parent's key, or the mapping itself at the top.
 * `target: 'key'` prefers a mapping entry's key over its value.
 */
export function locate(
  yaml: YamlFile,
  path: readonly PathSegment[],
  target: 'key' | 'value' = 'value',
): Position {
  let node: unknown = yaml.doc.contents;
  let offset = hasContent(node) ? node.range[0] : 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) break;
      if (hasContent(pair.key)) offset = pair.key.range[0];
      node = pair.value;
      if (last && target === 'value' && hasContent(node)) offset = node.range[0];
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!hasContent(item)) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return yaml.position(offset);
}

/** A config issue at `path` of a YAML file. */
export function issueAt(
  yaml: YamlFile,
  path: readonly PathSegment[],
  message: string,
  target: 'key' | 'value' = 'value',
): ConfigIssue {
  const issue: ConfigIssue = { file: yaml.file, ...locate(yaml, path, target), message };
  if (path.length > 0) issue.path = formatPath(path);
  return issue;
}
