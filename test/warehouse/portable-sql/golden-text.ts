/**
 * Golden files of the SQL a pipeline step sent: statements joined in order, with what changes
 * from run to run (the current time, run ids, random suffixes) replaced by placeholders.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';

const updating = process.env.UPDATE_GOLDEN === '1';
const DAY_MS = 86_400_000;

/**
 * The instant the pipeline's clock is pinned to while its SQL is recorded: a golden file then
 * holds the same dates (the `destination_usage` day, run timestamps) whatever day the suite runs.
 */
export const PINNED_NOW = new Date('2026-01-01T00:00:00Z');

/**
 * Replaces this process's lease holder, run ids, durations, timestamps within a day of `now`
 * (the pinned clock) and UUIDs with placeholders.
 */
export function stableSql(sql: string, now = PINNED_NOW.getTime()): string {
  return sql
    .replaceAll(`${os.hostname()}/${process.pid}`, '<host>/<pid>')
    .replace(/\b\d{8}T\d{9}Z-[0-9a-f]{6}\b/g, '<run-id>')
    .replace(/\bduration_ms = \d+/g, 'duration_ms = <ms>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g, (text) => {
      const at = Date.parse(`${text.replace(' ', 'T').replace(/Z$/, '')}Z`);
      return Number.isFinite(at) && Math.abs(at - now) < DAY_MS ? '<now>' : text;
    })
    .replace(/\b(\d{13})\b/g, (text) => (Math.abs(Number(text) - now) < DAY_MS ? '<now-ms>' : text));
}

/** The golden text of one step: each statement, then a `;` line, then a blank line. */
export function goldenText(statements: string[]): string {
  return statements.map((sql) => `${stableSql(sql).trimEnd()}\n;\n`).join('\n');
}

/** Compares `actual` with the golden file (UPDATE_GOLDEN=1 rewrites it). */
export function expectGoldenFile(file: string, actual: string): void {
  if (updating) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
