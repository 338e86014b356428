/**
 * File patterns of file sources, matched on disk without a database (for `weft validate` and the
 * build's change fingerprint): `*`, `?`, `[…]` within a path segment and `**` across folders,
 * like DuckDB's glob.
 */
import fs from 'node:fs';
import path from 'node:path';

const GLOB_CHARS = /[*?[]/;

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function walk(dir: string, segments: string[], found: string[]): void {
  if (segments.length === 0) {
    if (fs.existsSync(dir) && fs.statSync(dir).isFile()) found.push(dir);
    return;
  }
  const [segment, ...rest] = segments as [string, ...string[]];
  if (!GLOB_CHARS.test(segment)) {
    walk(path.join(dir, segment), rest, found);
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (segment === '**') {
    walk(dir, rest, found);
    for (const entry of entries) if (entry.isDirectory()) walk(path.join(dir, entry.name), segments, found);
    return;
  }
  const pattern = segmentRegExp(segment);
  for (const entry of entries) if (pattern.test(entry.name)) walk(path.join(dir, entry.name), rest, found);
}

/** The files `pattern` (relative to `projectDir`, or absolute) matches, sorted. */
export function matchFiles(projectDir: string, pattern: string): string[] {
  const absolute = path.resolve(projectDir, pattern);
  const { root } = path.parse(absolute);
  const found: string[] = [];
  walk(root, absolute.slice(root.length).split(path.sep).filter(Boolean), found);
  return [...new Set(found)].sort();
}
