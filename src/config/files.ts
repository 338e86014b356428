/** Small file-system helpers for the loaders (paths returned relative, with forward slashes). */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** A path relative to `dir`, with forward slashes. */
export function relativePath(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Files under `dir` (recursively when `recursive`) whose name ends with one of `extensions`,
 * as sorted paths relative to `root`. Hidden entries are skipped; a missing `dir` is empty.
 */
export async function listFiles(
  root: string,
  dir: string,
  extensions: readonly string[],
  recursive: boolean,
): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory() && recursive) found.push(...(await listFiles(root, path, extensions, true)));
    else if (entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext))) found.push(path);
  }
  return found.sort();
}
