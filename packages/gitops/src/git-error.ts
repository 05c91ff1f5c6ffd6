/** A git command that failed: the command, its exit code and what it wrote on stderr. */
export class GitError extends Error {
  override readonly name = 'GitError';
  readonly args: string[];
  readonly exitCode: number | undefined;
  readonly stderr: string;

  constructor(args: string[], exitCode: number | undefined, stderr: string, cause?: unknown) {
    super(
      `git ${args.join(' ')} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no output'}`,
      {
        cause,
      },
    );
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}
