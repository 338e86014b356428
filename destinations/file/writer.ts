/**
 * Appends batches to one file per run. Writes to one file are serialised (a promise chain per
 * path) so batches never interleave, and each batch is one append call.
 */
import { appendFile, type FileHandle, mkdir, open } from 'node:fs/promises';
import { DestinationError } from '../../src/destination-kit/index.js';

const chains = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task on the same path. */
export function serialised<T>(path: string, task: () => Promise<T>): Promise<T> {
  const previous = chains.get(path) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  chains.set(path, settled);
  void settled.then(() => {
    if (chains.get(path) === settled) chains.delete(path);
  });
  return next;
}

/** Maps a filesystem error to the taxonomy: permissions and bad paths are config; others retryable. */
export function fileError(error: unknown, path: string): DestinationError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const message = `cannot write ${path} (${code || (error as Error).message})`;
  const config = ['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'EISDIR', 'ENAMETOOLONG'].includes(code);
  return new DestinationError(config ? 'config' : 'retryable', message, { cause: error, code });
}

/** Creates the directory (and parents). */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw fileError(error, dir);
  }
}

/** Appends text; the file is created when missing. */
export async function appendText(path: string, text: string): Promise<void> {
  try {
    await appendFile(path, text, 'utf8');
  } catch (error) {
    throw fileError(error, path);
  }
}

/** The first line of a file (its CSV header, read from the first 64 KB), or undefined when it does not exist. */
export async function firstLine(path: string): Promise<string | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    return end === -1 ? text : text.slice(0, end + 1);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(error, path);
  } finally {
    await handle?.close();
  }
}
