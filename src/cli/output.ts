/**
 * Where a command's words go. Without `--json`, human text goes to stdout and problems, warnings
 * and notes to stderr. With `--json`, stdout carries only JSON lines and stderr carries human text
 * only when it is a terminal: what a script needs is in the JSON (warnings as `{"warning": …}`
 * lines, a failure as the `{"error": …}` object `run` in program.ts prints). Progress lines are
 * transient and only ever drawn on a terminal.
 */
export interface Output {
  readonly json: boolean;
  /** A line for people. */
  info(line?: string): void;
  /**
   * A problem that fails the command. With `--json` it is kept for the final error object (when
   * the command's own JSON lines do not already carry it).
   */
  error(line: string): void;
  /** Something the user must know that does not fail the command: a `{"warning"}` line with `--json`. */
  warn(line: string): void;
  /** A line for people on stderr (e.g. a scheduler's event log) that no script needs. */
  note(line: string): void;
  /** One JSON object as one stdout line (only in `--json` mode). */
  result(value: unknown): void;
  /** A transient progress line; replaced by the next one, cleared by `info`. */
  progress(line: string): void;
}

/**
 * What this process's outputs said so far: `run` (program.ts) answers a failed `--json` command
 * that printed no JSON result with one error object built from its problem lines.
 */
export const written = { results: 0, errors: [] as string[] };

/** True when human text may go to stderr: always without `--json`, only on a terminal with it. */
export function stderrIsForPeople(json: boolean): boolean {
  return !json || Boolean(process.stderr.isTTY);
}

/** A problem or warning line without its leading mark (`✗`, `!`, `-`, `warning:`). */
export function plainLine(text: string): string {
  return text.trim().replace(/^(?:[✗!-]\s*|warning:\s*)/, '');
}

/** Creates the output for one command run, redacting every secret it is given. */
export function createOutput(options: { json: boolean; secrets?: () => string[] }): Output {
  const stderrTty = Boolean(process.stderr.isTTY);
  const toStderr = stderrIsForPeople(options.json);
  let progressShown = false;
  const redact = (text: string): string => {
    let out = text;
    for (const secret of options.secrets?.() ?? []) {
      if (secret.length >= 4) out = out.split(secret).join('***');
    }
    return out;
  };
  const clearProgress = () => {
    if (progressShown) {
      process.stderr.write('\r\x1b[2K');
      progressShown = false;
    }
  };
  const human = (text: string) => {
    clearProgress();
    if (toStderr) process.stderr.write(`${text}\n`);
  };
  return {
    json: options.json,
    info(line = '') {
      clearProgress();
      if (!options.json) process.stdout.write(`${redact(line)}\n`);
      else if (stderrTty) process.stderr.write(`${redact(line)}\n`);
    },
    error(line) {
      const text = redact(line);
      if (text.trim() !== '') written.errors.push(plainLine(text));
      human(text);
    },
    warn(line) {
      const text = redact(line);
      if (options.json && text.trim() !== '')
        process.stdout.write(`${JSON.stringify({ warning: plainLine(text) })}\n`);
      human(text);
    },
    note(line) {
      human(redact(line));
    },
    result(value) {
      if (!options.json) return;
      written.results += 1;
      process.stdout.write(`${redact(JSON.stringify(value))}\n`);
    },
    progress(line) {
      if (!stderrTty) return;
      process.stderr.write(`\r\x1b[2K${redact(line).slice(0, (process.stderr.columns ?? 100) - 1)}`);
      progressShown = true;
    },
  };
}
