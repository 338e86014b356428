/**
 * A run's local, append-only journal: `.weft/journal/<sync>/<run_id>.jsonl`. Every acknowledged
 * batch is appended and fsynced before the run moves on, so a kill -9 at any instant loses at
 * most records whose acknowledgement was not yet on disk — and those are simply re-sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type JournalEntry, parseEntry } from './entries.js';

/** The journal directory of one sync. */
export function journalDir(projectDir: string, sync: string): string {
  return path.join(projectDir, '.weft', 'journal', sync);
}

/**
 * Throws, naming the directory and the cause, unless the journal directory can be created and
 * written: a run checks it before sending anything, so no delivered row goes unrecorded.
 */
export function assertJournalWritable(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new Error(
      `cannot write the sync journal directory ${dir} (${(error as Error).message}); nothing was sent: make it writable`,
    );
  }
}

/** Leftover journals of a sync (from runs that did not finish), oldest run first. */
export function listJournals(projectDir: string, sync: string): Array<{ runId: string; file: string }> {
  const dir = journalDir(projectDir, sync);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort() // run ids start with a UTC timestamp
    .map((name) => ({ runId: name.slice(0, -'.jsonl'.length), file: path.join(dir, name) }));
}

/** Reads a journal's entries lazily (bounded memory), skipping torn lines. */
export async function* readJournal(file: string): AsyncGenerator<JournalEntry> {
  for await (const batch of readJournalBatches(file, 1024)) yield* batch;
}

/**
 * Reads a journal in batches of at most `maxEntries` entries (one array per batch, so a bulk
 * load can take it without a promise per row), skipping torn lines. Reads 64 KiB at a time.
 */
export async function* readJournalBatches(file: string, maxEntries: number): AsyncGenerator<JournalEntry[]> {
  let batch: JournalEntry[] = [];
  let carry = '';
  for await (const piece of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const lines = (carry + (piece as string)).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) {
      const entry = parseEntry(line);
      if (!entry) continue;
      batch.push(entry);
      if (batch.length >= maxEntries) {
        yield batch;
        batch = [];
      }
    }
  }
  const last = parseEntry(carry); // a torn last line parses to nothing
  if (last) batch.push(last);
  if (batch.length > 0) yield batch;
}

/** Appends entries to one run's journal, one fsynced write per call, in call order. */
export class JournalWriter {
  private tail: Promise<void> = Promise.resolve();
  private handle: Promise<fs.promises.FileHandle> | undefined;
  /** Entries durably written so far. */
  written = 0;

  /** The file is created on the first append: a run that sends nothing leaves no journal. */
  constructor(readonly file: string) {}

  private open(): Promise<fs.promises.FileHandle> {
    if (!this.handle) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.handle = fs.promises.open(this.file, 'a');
    }
    return this.handle;
  }

  /** Resolves once the entries are on disk. */
  append(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return this.tail;
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    const next = this.tail.then(async () => {
      const handle = await this.open();
      await handle.write(text);
      await handle.datasync();
      this.written += entries.length;
    });
    this.tail = next;
    return next;
  }

  /** Waits for pending writes and closes the file. */
  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    await (await this.handle?.catch(() => undefined))?.close();
  }
}
