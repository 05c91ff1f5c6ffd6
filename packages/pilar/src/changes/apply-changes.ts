/**
 * Writes a change set, or only shows it. Files are written at the end of a run, all or nothing:
 * every new content goes to a temporary file first, then each is renamed over its target; if any
 * step fails, files already replaced get their old content back. With `commit`, the run's files
 * (and only they) become one commit, on a new branch with `branch`.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { GitError, git } from '@deploysmith/gitops';
import { absolute, type SmudRepo } from '../repo/smud-repo.ts';
import type { ChangeSet, FileChange } from './change-set.ts';
import { unifiedDiff } from './diff.ts';

export interface ApplyOptions {
  dryRun?: boolean;
  commit?: boolean;
  /** Create this branch and commit on it (implies commit). */
  branch?: string;
  message: string;
}

export interface ApplyResult {
  files: string[];
  diff: string;
  dryRun: boolean;
  commit?: string;
  branch?: string;
}

export async function applyChanges(
  repo: SmudRepo,
  changes: ChangeSet,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const files = changes.files();
  const diff = unifiedDiff(files);
  const names = files.map((f) => f.file);
  const result: ApplyResult = { files: names, diff, dryRun: options.dryRun === true };
  if (options.dryRun || files.length === 0) return result;

  const committing = options.commit === true || options.branch !== undefined;
  if (committing) await checkGit(repo, names, options.branch);
  await checkUnchanged(repo, files);

  let switchedFrom: string | undefined;
  if (options.branch !== undefined) {
    switchedFrom = (await runGit(repo, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
    await runGit(repo, ['switch', '-q', '-c', options.branch]);
  }
  try {
    await writeAll(repo, files);
  } catch (error) {
    if (switchedFrom !== undefined) await undoBranch(repo, switchedFrom, options.branch ?? '');
    throw error;
  }
  if (!committing) return result;

  try {
    await runGit(repo, ['add', '--', ...names]);
    await runGit(repo, [
      ...(await identityArgs(repo)),
      'commit',
      '-q',
      '--no-verify',
      '-m',
      options.message,
      '--',
      ...names,
    ]);
  } catch (error) {
    await runGit(repo, ['reset', '-q', '--', ...names]).catch(() => undefined);
    await restore(repo, files);
    if (switchedFrom !== undefined) await undoBranch(repo, switchedFrom, options.branch ?? '');
    throw error;
  }
  const sha = (await runGit(repo, ['rev-parse', 'HEAD'])).trim();
  return { ...result, commit: sha, ...(options.branch === undefined ? {} : { branch: options.branch }) };
}

async function runGit(repo: SmudRepo, args: string[]): Promise<string> {
  try {
    return await git(repo.root, args);
  } catch (error) {
    if (error instanceof GitError) {
      throw new DeploySmithError(
        'conflict',
        `git ${args[0]} failed in ${repo.root}: ${error.stderr.trim() || error.message}`,
        {
          hint: 'Nothing was changed. Fix the repository state and run the command again.',
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function checkGit(repo: SmudRepo, files: string[], branch: string | undefined): Promise<void> {
  try {
    await git(repo.root, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new DeploySmithError(
      'invalid_input',
      `${repo.root} is not a git repository, so --commit/--branch cannot commit`,
      {
        hint: 'Run without --commit, or in a clone of the GitOps repository.',
      },
    );
  }
  const dirty = (
    await runGit(repo, ['status', '--porcelain', '--untracked-files=no', '--', ...files])
  ).trim();
  if (dirty !== '') {
    throw new DeploySmithError('conflict', 'Files this command would commit have uncommitted changes', {
      hint: 'Commit or stash them first, so the commit holds only this change. Nothing was changed.',
      details: dirty.split('\n').map((line) => ({ file: line.slice(3), message: 'uncommitted changes' })),
    });
  }
  if (branch !== undefined) {
    try {
      await git(repo.root, ['check-ref-format', '--branch', branch]);
    } catch {
      throw new DeploySmithError('invalid_input', `"${branch}" is not a valid branch name`);
    }
    const existing = await git(repo.root, ['branch', '--list', branch]);
    if (existing.trim() !== '') {
      throw new DeploySmithError('conflict', `Branch "${branch}" already exists`, {
        hint: 'Choose another --branch name. Nothing was changed.',
      });
    }
  }
}

/** Commit as the repo's configured user; a CI clone without one commits as pilar. */
async function identityArgs(repo: SmudRepo): Promise<string[]> {
  const email = await git(repo.root, ['config', 'user.email']).catch(() => '');
  const name = await git(repo.root, ['config', 'user.name']).catch(() => '');
  const args: string[] = [];
  if (name.trim() === '' && !process.env.GIT_AUTHOR_NAME) args.push('-c', 'user.name=pilar');
  if (email.trim() === '' && !process.env.GIT_AUTHOR_EMAIL) args.push('-c', 'user.email=pilar@localhost');
  return args;
}

/** A file edited by someone else since it was read would lose their edit: refuse. */
async function checkUnchanged(repo: SmudRepo, files: FileChange[]): Promise<void> {
  for (const change of files) {
    const now = await readFile(absolute(repo, change.file), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (now !== change.before) {
      throw new DeploySmithError('conflict', `${change.file} changed while pilar was working on it`, {
        hint: 'Run the command again. Nothing was changed.',
      });
    }
  }
}

async function writeAll(repo: SmudRepo, files: FileChange[]): Promise<void> {
  const suffix = `.pilar-${process.pid}-${Date.now()}.tmp`;
  const staged: string[] = [];
  const replaced: FileChange[] = [];
  const createdDirs: string[] = [];
  try {
    for (const change of files) {
      const target = absolute(repo, change.file);
      const created = await mkdir(dirname(target), { recursive: true });
      if (created !== undefined) createdDirs.push(created);
      await writeFile(`${target}${suffix}`, change.after);
      staged.push(`${target}${suffix}`);
    }
    for (const change of files) {
      const target = absolute(repo, change.file);
      await rename(`${target}${suffix}`, target);
      replaced.push(change);
    }
  } catch (error) {
    await Promise.all(staged.map((path) => rm(path, { force: true })));
    await restore(repo, replaced);
    // Directories this run created held only its files.
    await Promise.all(createdDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    throw error;
  }
}

async function restore(repo: SmudRepo, files: FileChange[]): Promise<void> {
  for (const change of files) {
    const target = absolute(repo, change.file);
    if (change.before === undefined) await rm(target, { force: true });
    else await writeFile(target, change.before);
  }
}

async function undoBranch(repo: SmudRepo, previous: string, branch: string): Promise<void> {
  await git(repo.root, ['switch', '-q', previous]).catch(() => undefined);
  await git(repo.root, ['branch', '-q', '-D', branch]).catch(() => undefined);
}
