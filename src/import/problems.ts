/**
 * Problems found in input files, reported as `file:line: column: reason`. Every problem is counted;
 * the first `cap` are kept for display so a file with a million bad rows cannot exhaust memory.
 */
export type Problem = { file: string; line: number | null; column: string | null; message: string };

export function formatProblem({ file, line, column, message }: Problem): string {
  const where = line === null ? file : `${file}:${line}`;
  return column === null ? `${where}: ${message}` : `${where}: ${column}: ${message}`;
}

export class ProblemLog {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  errorCount = 0;
  warningCount = 0;

  constructor(readonly cap = 100) {}

  error(problem: Problem): void {
    this.errorCount += 1;
    if (this.errors.length < this.cap) this.errors.push(problem);
  }

  warn(problem: Problem): void {
    this.warningCount += 1;
    if (this.warnings.length < this.cap) this.warnings.push(problem);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** The kept errors, one line each, with a closing count of those not shown. */
  errorLines(): string[] {
    const lines = this.errors.map(formatProblem);
    if (this.errorCount > this.errors.length)
      lines.push(`… and ${this.errorCount - this.errors.length} more problems`);
    return lines;
  }

  warningLines(): string[] {
    const lines = this.warnings.map(formatProblem);
    if (this.warningCount > this.warnings.length) {
      lines.push(`… and ${this.warningCount - this.warnings.length} more warnings`);
    }
    return lines;
  }
}

/** A failed import or evaluation: carries every problem so callers can print them and exit 1. */
export class InputError extends Error {
  readonly code = 'input_invalid';
  constructor(readonly problems: ProblemLog) {
    super(`${problems.errorCount} problem${problems.errorCount === 1 ? '' : 's'} in the input`);
    this.name = 'InputError';
  }
}
