/**
 * Writing an edited audience back into its YAML file without losing what a person wrote there.
 * When only values changed (the usual edit), exactly those values are replaced in the original
 * text, so every comment, space and quote stays byte for byte. When the shape changed (a
 * condition added or removed), the new value is applied to the parsed `yaml` Document node by
 * node, so comments and layout of what did not change are kept. And a line diff to show it.
 */
import { type Document, isMap, isScalar, isSeq, parseDocument, type Scalar, stringify } from 'yaml';

const TEXT_OPTIONS = { lineWidth: 0 } as const;

/** `value` as the file's new text: applied to `original` when there is one, else a new file. */
export function audienceYaml(value: Record<string, unknown>, original?: string): string {
  if (original === undefined) return stringify(value, TEXT_OPTIONS);
  const doc = parseDocument(original);
  if (!isMap(doc.contents)) return stringify(value, TEXT_OPTIONS);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  if (valueEdits(doc.contents, value, edits)) {
    let text = original;
    for (const edit of edits.sort((a, b) => b.start - a.start))
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    return text;
  }
  applyValue(doc, doc.contents, value);
  return keepOriginalLines(doc.toString({ lineWidth: 0 }), original);
}

/**
 * The `yaml` package re-prints a whole document in its own spacing (one space before a comment,
 * its own padding in `{ }`): every printed line that says the same as a line of the original,
 * spacing aside, is replaced by that original line, so only lines that really changed differ.
 */
function keepOriginalLines(printed: string, original: string): string {
  const key = (line: string) =>
    line
      .trimEnd()
      .replace(/\s+/g, ' ')
      .replace(/\s*([{}[\],#])\s*/g, '$1');
  const originals = new Map<string, string>();
  for (const line of original.split('\n')) if (!originals.has(key(line))) originals.set(key(line), line);
  return printed
    .split('\n')
    .map((line) => originals.get(key(line)) ?? line)
    .join('\n');
}

/**
 * Collects in-place replacements of the scalars whose value differs; false when `value` has
 * another shape than `node` (keys or items added or removed), which text patches cannot express.
 */
function valueEdits(
  node: unknown,
  value: unknown,
  edits: Array<{ start: number; end: number; text: string }>,
): boolean {
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    if (node.value === value) return true;
    const text = scalarText(node, value);
    if (text === undefined || !node.range) return false;
    edits.push({ start: node.range[0], end: node.range[1], text });
    return true;
  }
  if (isMap(node) && isPlainObject(value)) {
    const keys = node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
    const wanted = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length !== wanted.length || !wanted.every((k) => keys.includes(k))) return false;
    return wanted.every((k) => valueEdits(node.get(k, true), value[k], edits));
  }
  if (isSeq(node) && Array.isArray(value)) {
    if (node.items.length !== value.length) return false;
    return value.every((item, i) => valueEdits(node.items[i], item, edits));
  }
  return false;
}

/** The source text of a new scalar value, in the old one's quoting style (undefined: not patchable). */
function scalarText(node: Scalar, value: unknown): string | undefined {
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return undefined;
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  if (node.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  // Plain when YAML reads it back as this same string anywhere (block or flow), else double-quoted.
  const plain = /^[A-Za-z_][A-Za-z0-9_ ./@+-]*$/.test(value) && !/\s$/.test(value);
  const reread = plain ? parseDocument(`[${value}]`).toJS() : undefined;
  return plain && node.type !== 'QUOTE_DOUBLE' && Array.isArray(reread) && reread[0] === value
    ? value
    : JSON.stringify(value);
}

/** Makes `node` hold `value`, changing only what differs. Returns the node to keep (or a new one). */
function applyValue(doc: Document, node: unknown, value: unknown): unknown {
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    if (node.value !== value) node.value = value;
    return node;
  }
  if (isMap(node) && isPlainObject(value)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!(key in value)) node.delete(pair.key);
    }
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const current = node.get(key, true);
      if (current === undefined) node.set(key, doc.createNode(item));
      else {
        const kept = applyValue(doc, current, item);
        if (kept !== current) node.set(key, kept);
      }
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    while (node.items.length > value.length) node.items.pop();
    value.forEach((item, index) => {
      const current = node.items[index];
      if (current === undefined) node.items.push(doc.createNode(item));
      else {
        const kept = applyValue(doc, current, item);
        if (kept !== current) node.items[index] = kept as (typeof node.items)[number];
      }
    });
    return node;
  }
  return doc.createNode(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** The line diff from `before` to `after` (longest common subsequence; audience files are small). */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: '-', text: a[i++]! });
  while (j < b.length) out.push({ op: '+', text: b[j++]! });
  return out;
}
