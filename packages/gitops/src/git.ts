/**
 * The one way DeploySmith runs git: a fixed, quiet environment (no prompts, no pager, no user
 * config surprises), and errors that carry the command, exit code and stderr.
 */
import { execa } from 'execa';
import { QUIET_ENV } from './git-env.ts';
import { GitError } from './git-error.ts';

export { GitError };

export interface GitOptions {
  env?: Record<string, string>;
  input?: string | Uint8Array;
  /** Give up after this many milliseconds (network operations). */
  timeoutMs?: number;
}

/** HTTP transfers that stall give up by themselves too (a detached git outlives a crashed parent). */
function stallEnv(timeoutMs: number): Record<string, string> {
  return {
    GIT_HTTP_LOW_SPEED_LIMIT: '1',
    GIT_HTTP_LOW_SPEED_TIME: String(Math.max(1, Math.ceil(timeoutMs / 1000))),
  };
}

/**
 * Runs `git args` in `cwd` and returns stdout. With `timeoutMs`, git runs in a process group of its
 * own and the whole group is killed when time is up: a fetch over HTTP or SSH hands the network to
 * a helper process (git-remote-https, ssh) that would otherwise outlive git and keep its output open.
 */
export async function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const limited = options.timeoutMs !== undefined && process.platform !== 'win32';
  const subprocess = execa('git', args, {
    cwd,
    env: { ...QUIET_ENV, ...(limited ? stallEnv(options.timeoutMs as number) : {}), ...options.env },
    stdin: 'pipe',
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    detached: limited,
    ...(limited ? {} : { timeout: options.timeoutMs }),
  });
  // Written now, not by execa's `input` (a later tick): git gets its input while the caller goes on
  // with CPU-bound work, such as the checks that run beside a deploy's `git fast-import`.
  subprocess.stdin?.end(options.input);
  let timedOut = false;
  const timer = limited
    ? setTimeout(() => {
        timedOut = true;
        try {
          if (subprocess.pid !== undefined) process.kill(-subprocess.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, options.timeoutMs)
    : undefined;
  const result = await subprocess;
  if (timer !== undefined) clearTimeout(timer);
  if (result.failed || timedOut) {
    throw new GitError(
      args,
      result.exitCode,
      `${result.stderr}${timedOut || result.timedOut ? ' (timed out)' : ''}`,
      result.cause,
    );
  }
  return result.stdout;
}
