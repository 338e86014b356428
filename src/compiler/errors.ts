/** One problem found while compiling, tied to the file that caused it. */
export interface CompileIssue {
  /** Project-relative path of the model (or config) file at fault. */
  file: string;
  /** 1-based line within that file, when known. */
  line?: number;
  message: string;
}

/** Formats an issue as `file:line: message` (or `file: message` without a line). */
export function formatIssue(issue: CompileIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return `${where}: ${issue.message}`;
}

/**
 * Thrown when models cannot be compiled: unknown refs/sources/vars, template syntax errors,
 * cycles. Carries every issue found, so a user sees all of them at once.
 */
export class CompileError extends Error {
  readonly issues: CompileIssue[];

  constructor(issues: CompileIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'CompileError';
    this.issues = issues;
  }
}
