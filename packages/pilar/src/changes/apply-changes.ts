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
  if (committing) await checkGit(repo, files, options.branch);
  await checkUnchanged(repo, files);
  await writeAll(repo, files);
  if (!committing) return result;

  try {
    const sha = await commitFiles(repo, names, options.message, options.branch);
    return { ...result, commit: sha, ...(options.branch === undefined ? {} : { branch: options.branch }) };
  } catch (error) {
    await git(repo.root, ['reset', '-q', '--', ...names]).catch(() => undefined);
    await restore(repo, files);
    throw error;
  }
}

/**
 * One commit of exactly these files, made with plumbing: `git commit` would refresh the whole index
 * (a stat of every file in the repo), and a bump must cost the same in a repo of any size.
 */
async function commitFiles(
  repo: SmudRepo,
  files: string[],
  message: string,
  branch: string | undefined,
): Promise<string> {
  await runGit(repo, ['update-index', '--add', '--', ...files]);
  const tree = (await runGit(repo, ['write-tree'])).trim();
  const parent = (await git(repo.root, ['rev-parse', '-q', '--verify', 'HEAD']).catch(() => '')).trim();
  const identity = await identityArgs(repo);
  const parents = parent === '' ? [] : ['-p', parent];
  const commit = (
    await runGit(repo, [...identity, 'commit-tree', tree, ...parents, '-F', '-'], message)
  ).trim();
  const subject = message.split('\n')[0] ?? '';
  if (branch === undefined) {
    // The expected old value makes a concurrent commit fail this update instead of being lost.
    await runGit(repo, ['update-ref', '-m', `commit: ${subject}`, 'HEAD', commit, parent]);
  } else {
    // An empty old value: the branch must not exist yet.
    await runGit(repo, ['update-ref', '-m', `branch: ${subject}`, `refs/heads/${branch}`, commit, '']);
    await runGit(repo, ['symbolic-ref', '-m', `pilar: switch to ${branch}`, 'HEAD', `refs/heads/${branch}`]);
  }
  return commit;
}

async function runGit(repo: SmudRepo, args: string[], input?: string): Promise<string> {
  try {
    return await git(repo.root, args, input === undefined ? {} : { input });
  } catch (error) {
    if (error instanceof GitError) {
      throw new DeploySmithError(
        'conflict',
        `git ${args.find((arg) => !arg.startsWith('-') && !arg.includes('=')) ?? ''} failed in ${repo.root}: ${error.stderr.trim() || error.message}`,
        {
          hint: 'Nothing was changed. Fix the repository state and run the command again.',
          cause: error,
        },
      );
    }
    throw error;
  }
}

/**
 * Refuses to commit over someone's uncommitted work: each file must read as it is in HEAD (a new
 * file must be absent from HEAD). HEAD's blobs are compared with what this run read, through one
 * `git cat-file --batch`, because `git status` reads the whole index, a cost that grows with the repo.
 */
async function checkGit(repo: SmudRepo, files: FileChange[], branch: string | undefined): Promise<void> {
  let committed: Map<string, string | undefined>;
  try {
    committed = await headContents(
      repo,
      files.map((f) => f.file),
    );
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.stderr)) {
      throw new DeploySmithError(
        'invalid_input',
        `${repo.root} is not a git repository, so --commit/--branch cannot commit`,
        {
          hint: 'Run without --commit, or in a clone of the GitOps repository.',
        },
      );
    }
    throw error;
  }
  const dirty = files.filter((f) => committed.get(f.file) !== f.before);
  if (dirty.length > 0) {
    throw new DeploySmithError('conflict', 'Files this command would commit have uncommitted changes', {
      hint: 'Commit or stash them first, so the commit holds only this change. Nothing was changed.',
      details: dirty.map((f) => ({
        file: f.file,
        message: f.before === undefined ? 'exists in HEAD' : 'differs from HEAD',
      })),
    });
  }
  if (branch !== undefined) {
    try {
      await git(repo.root, ['check-ref-format', '--branch', branch]);
    } catch {
      throw new DeploySmithError('invalid_input', `"${branch}" is not a valid branch name`);
    }
    const existing = await git(repo.root, ['rev-parse', '-q', '--verify', `refs/heads/${branch}`]).catch(
      () => '',
    );
    if (existing.trim() !== '') {
      throw new DeploySmithError('conflict', `Branch "${branch}" already exists`, {
        hint: 'Choose another --branch name. Nothing was changed.',
      });
    }
  }
}

/** The content of each file in HEAD (undefined when HEAD has no such file, or no HEAD exists). */
async function headContents(repo: SmudRepo, files: string[]): Promise<Map<string, string | undefined>> {
  const output = Buffer.from(
    await git(repo.root, ['cat-file', '--batch'], { input: files.map((f) => `HEAD:${f}\n`).join('') }),
    'utf8',
  );
  const contents = new Map<string, string | undefined>();
  let offset = 0;
  for (const file of files) {
    const newline = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (size === undefined) {
      contents.set(file, undefined);
      continue;
    }
    contents.set(file, output.subarray(offset, offset + Number(size)).toString('utf8'));
    offset += Number(size) + 1;
  }
  return contents;
}

/** Commit as the repo's configured user; a CI clone without one commits as pilar. */
async function identityArgs(repo: SmudRepo): Promise<string[]> {
  const configured = await git(repo.root, ['config', '--get-regexp', '^user\\.(name|email)$']).catch(
    () => '',
  );
  const args: string[] = [];
  if (!/^user\.name /m.test(configured) && !process.env.GIT_AUTHOR_NAME) args.push('-c', 'user.name=pilar');
  if (!/^user\.email /m.test(configured) && !process.env.GIT_AUTHOR_EMAIL)
    args.push('-c', 'user.email=pilar@localhost');
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
