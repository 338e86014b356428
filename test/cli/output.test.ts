/**
 * The output layer's promise (README, CLI): with --json, stdout carries only JSON and stderr
 * carries human text only when it is a terminal. The CLI tests see a pipe; this one also plays the
 * terminal, which a spawned process cannot.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutput, written } from '../../src/cli/output.js';

let stdout: string[];
let stderr: string[];
const realTty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
const stderrIsTty = (tty: boolean) =>
  Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true, writable: true });

beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  written.errors.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  if (realTty) Object.defineProperty(process.stderr, 'isTTY', realTty);
  else delete (process.stderr as { isTTY?: boolean }).isTTY;
});

function speak(json: boolean) {
  const out = createOutput({ json, secrets: () => ['s3cr3t-value'] });
  out.info('a table for people');
  out.note('12:00 due sync_a');
  out.warn('  ! sync_a: alert NOT delivered (token s3cr3t-value)');
  out.error('✗ sync_b: refused');
  out.result({ sync: 'sync_a', status: 'success' });
}

describe('createOutput', () => {
  it('--json, stderr not a terminal: JSON lines on stdout, nothing on stderr', () => {
    stderrIsTty(false);
    speak(true);
    expect(stderr).toEqual([]);
    expect(stdout.map((l) => JSON.parse(l))).toEqual([
      { warning: 'sync_a: alert NOT delivered (token ***)' },
      { sync: 'sync_a', status: 'success' },
    ]);
    expect(written.errors).toEqual(['sync_b: refused']); // kept for the final error object
  });

  it('--json, stderr a terminal: the same JSON, and the human lines on stderr', () => {
    stderrIsTty(true);
    speak(true);
    expect(stdout.map((l) => JSON.parse(l))).toEqual([
      { warning: 'sync_a: alert NOT delivered (token ***)' },
      { sync: 'sync_a', status: 'success' },
    ]);
    expect(stderr).toEqual([
      'a table for people\n',
      '12:00 due sync_a\n',
      '  ! sync_a: alert NOT delivered (token ***)\n',
      '✗ sync_b: refused\n',
    ]);
  });

  it('without --json: text on stdout, problems, warnings and notes on stderr, no JSON', () => {
    stderrIsTty(false);
    speak(false);
    expect(stdout).toEqual(['a table for people\n']);
    expect(stderr).toEqual([
      '12:00 due sync_a\n',
      '  ! sync_a: alert NOT delivered (token ***)\n',
      '✗ sync_b: refused\n',
    ]);
  });
});
