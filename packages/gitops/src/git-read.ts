/**
 * A short, local, read-only git command run with node's own child_process: a CLI that asks git one
 * question at start-up (forge reading the commit it builds) would otherwise load execa and its
 * dependencies, tens of milliseconds of every run. Same quiet environment and errors as `git()`;
 * for input, time limits or anything that writes, use `git()`.
 */
import { execFile } from 'node:child_process';
import { QUIET_ENV } from './git-env.ts';
import { GitError } from './git-error.ts';

/** Runs `git args` in `cwd` and returns stdout; throws GitError when git cannot be run or fails. */
export function gitRead(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...process.env, ...QUIET_ENV }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) return resolve(stdout);
        const exitCode = typeof error.code === 'number' ? error.code : undefined;
        reject(new GitError(args, exitCode, stderr || error.message, error));
      },
    );
  });
}
