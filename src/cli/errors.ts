/** Errors the CLI turns into exit codes: usage and config problems exit 2, failures exit 1. */
import type { ConfigIssue } from '../config/issues.js';

/** Bad command-line usage (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure already reported to the user; the CLI just exits 1 without another message. */
export class ReportedFailure extends Error {
  override name = 'ReportedFailure';
  constructor(readonly exitCode: 1 | 2 = 1) {
    super('reported');
  }
}

/** The project did not load; its problems were told on stderr, and `run` answers them as JSON. */
export class ProjectProblems extends ReportedFailure {
  override name = 'ProjectProblems';
  constructor(readonly issues: ConfigIssue[]) {
    super(2);
  }
}
