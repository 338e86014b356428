/**
 * Where a command's words go. Human text goes to stdout, except with `--json`, where stdout
 * carries only JSON lines and human text goes to stderr, and only when stderr is a terminal.
 * Progress lines are transient and only ever drawn on a terminal.
 */
export interface Output {
  readonly json: boolean;
  /** A line for people. */
  info(line?: string): void;
  /** A problem for people (always stderr). */
  error(line: string): void;
  /** One JSON object as one stdout line (only in `--json` mode). */
  result(value: unknown): void;
  /** A transient progress line; replaced by the next one, cleared by `info`. */
  progress(line: string): void;
}

/** Creates the output for one command run, redacting every secret it is given. */
export function createOutput(options: { json: boolean; secrets?: () => string[] }): Output {
  const stderrTty = Boolean(process.stderr.isTTY);
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
  return {
    json: options.json,
    info(line = '') {
      clearProgress();
      if (!options.json) process.stdout.write(`${redact(line)}\n`);
      else if (stderrTty) process.stderr.write(`${redact(line)}\n`);
    },
    error(line) {
      clearProgress();
      process.stderr.write(`${redact(line)}\n`);
    },
    result(value) {
      if (options.json) process.stdout.write(`${redact(JSON.stringify(value))}\n`);
    },
    progress(line) {
      if (!stderrTty) return;
      process.stderr.write(`\r\x1b[2K${redact(line).slice(0, (process.stderr.columns ?? 100) - 1)}`);
      progressShown = true;
    },
  };
}
