/**
 * smithd's persistent working clone of one GitOps repo: cloned once, then fetched; its HEAD is
 * detached at the last remote head it knows, and its working tree is left clean after every
 * operation. Commits are made with plumbing (write-tree, commit-tree) so that no step rescans the
 * whole tree: a deploy costs the same in a repo of ten files or of fifty thousand.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { DeployPlan } from '@deploysmith/core';
import { DeploySmithError } from '@deploysmith/core';
import {
  GitError,
  type GitIdentity,
  type GitOptions,
  git,
  identityEnv,
  type ObjectFormat,
} from '@deploysmith/gitops';

export interface WorkingCloneOptions {
  dir: string;
  url: string;
  branch: string;
  author: GitIdentity;
  networkTimeoutMs: number;
}

/** A local path (not a URL nor `host:path`) resolved against the current directory. */
export function resolveRemote(url: string): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  const isScpLike = !isAbsolute(url) && /^[^/]+:/.test(url);
  return isUrl || isScpLike ? url : resolve(url);
}

/** Settings that make the clone behave the same whatever the user's or system's git config says. */
const LOCAL_CONFIG: [string, string][] = [
  ['core.autocrlf', 'false'],
  ['core.safecrlf', 'false'],
  ['core.symlinks', 'true'],
  ['commit.gpgsign', 'false'],
  ['push.gpgsign', 'false'],
  ['index.version', '4'],
  ['advice.detachedHead', 'false'],
  // Background maintenance would race our own ref updates; `maintain()` runs it in the queue.
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['fetch.writeCommitGraph', 'false'],
];

export class WorkingClone {
  readonly dir: string;
  readonly url: string;
  readonly branch: string;
  readonly remoteRef: string;
  readonly #author: GitIdentity;
  readonly #networkTimeoutMs: number;
  /** The commit HEAD (and the index and working tree) are at; undefined before the branch exists. */
  head: string | undefined;
  objectFormat: ObjectFormat = 'sha1';
  #commitsSinceMaintenance = 0;

  constructor(options: WorkingCloneOptions) {
    this.dir = resolve(options.dir);
    this.url = resolveRemote(options.url);
    this.branch = options.branch;
    this.remoteRef = `refs/remotes/origin/${options.branch}`;
    this.#author = options.author;
    this.#networkTimeoutMs = options.networkTimeoutMs;
  }

  git(args: string[], options: GitOptions = {}): Promise<string> {
    return git(this.dir, args, options);
  }

  /** Creates or reuses the clone (never re-clones), then fetches and cleans it. Network errors throw GitError. */
  async open(): Promise<string | undefined> {
    if (!existsSync(join(this.dir, '.git'))) {
      await mkdir(this.dir, { recursive: true });
      if ((await readdir(this.dir)).length > 0) {
        throw new DeploySmithError(
          'invalid_input',
          `The working clone folder ${this.dir} is not empty and not a git clone.`,
          {
            hint: 'Point the repo work dir at an empty or missing folder; smithd clones into it.',
          },
        );
      }
      await this.git(['init', '-q']);
      await this.git(['remote', 'add', 'origin', this.url]);
    } else if ((await this.git(['remote', 'get-url', 'origin']).catch(() => '')).trim() !== this.url) {
      await this.git(['remote', 'remove', 'origin']).catch(() => undefined);
      await this.git(['remote', 'add', 'origin', this.url]);
    }
    await mkdir(join(this.dir, '.git', 'no-hooks'), { recursive: true });
    for (const [key, value] of [
      ...LOCAL_CONFIG,
      ['core.hooksPath', join(this.dir, '.git', 'no-hooks')] as [string, string],
      ['remote.origin.fetch', `+refs/heads/${this.branch}:${this.remoteRef}`] as [string, string],
    ]) {
      await this.git(['config', key, value]);
    }
    this.objectFormat =
      (await this.git(['rev-parse', '--show-object-format'])).trim() === 'sha256' ? 'sha256' : 'sha1';
    const remoteHead = await this.fetch();
    // A process that died mid-deploy may have left files behind: start from the remote head, clean.
    if (remoteHead !== undefined) await this.resetHard(remoteHead);
    return remoteHead;
  }

  /** Fetches the branch; returns the remote head, or undefined when the remote has no such branch. */
  async fetch(): Promise<string | undefined> {
    try {
      await this.git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', 'origin'], {
        timeoutMs: this.#networkTimeoutMs,
      });
    } catch (error) {
      if (!(error instanceof GitError) || !/couldn't find remote ref/i.test(error.stderr)) throw error;
      await this.git(['update-ref', '-d', this.remoteRef]);
      return undefined;
    }
    return this.remoteHead();
  }

  async remoteHead(): Promise<string | undefined> {
    const out = await this.git(['rev-parse', '--verify', '--quiet', this.remoteRef]).catch(() => '');
    return out.trim() || undefined;
  }

  /** Moves HEAD, index and working tree to `commit` (a no-op when already there and clean). */
  async moveTo(commit: string): Promise<void> {
    if (this.head !== commit) await this.resetHard(commit);
  }

  /** The full reset: every tracked file checked, untracked files removed. Not for the hot path. */
  async resetHard(commit: string): Promise<void> {
    await this.git(['reset', '--quiet', '--hard', commit]);
    await this.git(['clean', '-fdxq']);
    this.head = commit;
  }

  /** Stages exactly the working tree's state of `paths` (new, changed and removed files; ignored ones too). */
  async stage(paths: string[]): Promise<void> {
    await this.git(['add', '--all', '--force', '--', ...paths]);
  }

  /** Files added, changed and removed by the staged change under `paths`, and its unified diff. */
  async stagedPlan(paths: string[]): Promise<DeployPlan> {
    const base = this.head ?? (await this.emptyTree());
    const out = await this.git([
      'diff',
      '--cached',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--raw',
      '--patch',
      '-z',
      base,
      '--',
      ...paths,
    ]);
    return parseRawAndPatch(out);
  }

  /** The plan of a commit already made: what it changed against its first parent. */
  async commitPlan(commit: string): Promise<DeployPlan> {
    const out = await this.git([
      'show',
      '--format=',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--raw',
      '--patch',
      '-z',
      commit,
    ]);
    return parseRawAndPatch(out);
  }

  async emptyTree(): Promise<string> {
    return (await this.git(['hash-object', '-t', 'tree', '--stdin'], { input: '' })).trim();
  }

  /** A commit of the index on top of HEAD (or a root commit), with our identity. Moves nothing. */
  async commitIndex(message: string): Promise<string> {
    const tree = (await this.git(['write-tree'])).trim();
    const parents = this.head === undefined ? [] : ['-p', this.head];
    const env = identityEnv(this.#author);
    return (
      await this.git(['-c', 'commit.gpgsign=false', 'commit-tree', tree, ...parents], { env, input: message })
    ).trim();
  }

  /**
   * Pushes `commit` to the branch only if the branch is still at `expected` (undefined: absent):
   * a compare-and-swap, so a rewound or moved branch is never overwritten. Throws GitError.
   */
  async push(commit: string, expected: string | undefined): Promise<void> {
    await this.git(
      [
        'push',
        '--quiet',
        '--no-verify',
        `--force-with-lease=refs/heads/${this.branch}:${expected ?? ''}`,
        'origin',
        `${commit}:refs/heads/${this.branch}`,
      ],
      { timeoutMs: this.#networkTimeoutMs },
    );
  }

  /** After a successful push: HEAD and the remote-tracking ref move to `commit` (index already matches). */
  async advance(commit: string): Promise<void> {
    const old = this.head ?? '';
    await this.git(['update-ref', '--no-deref', '--stdin'], {
      input: `update HEAD ${commit} ${old}\nupdate ${this.remoteRef} ${commit}\n`,
    });
    this.head = commit;
    this.#commitsSinceMaintenance += 1;
  }

  /**
   * Puts `paths` back as HEAD has them, in the index and the working tree, and removes anything else
   * under them. Every path must be staged (so git knows it). Falls back to a full reset.
   */
  async restore(paths: string[]): Promise<void> {
    try {
      if (this.head === undefined) {
        await this.git(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', ...paths]);
      } else {
        await this.git([
          'restore',
          '--quiet',
          `--source=${this.head}`,
          '--staged',
          '--worktree',
          '--',
          ...paths,
        ]);
      }
      await this.git(['clean', '-fdxq', '--', ...paths]);
    } catch {
      if (this.head !== undefined) await this.resetHard(this.head);
    }
  }

  /** Packs loose objects now and then, inside the repo's queue (never in the background). */
  async maintain(): Promise<void> {
    if (this.#commitsSinceMaintenance < 200) return;
    this.#commitsSinceMaintenance = 0;
    await this.git(['-c', 'gc.auto=6700', 'gc', '--auto', '--quiet']).catch(() => undefined);
  }
}

/**
 * Reads `git diff --raw --patch -z`: NUL-separated raw records (`:modes oids status`, then one path,
 * or two for a rename or copy), then the patch text.
 */
export function parseRawAndPatch(out: string): DeployPlan {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  let at = 0;
  while (at < out.length && out[at] === ':') {
    const statusEnd = out.indexOf('\0', at);
    const status = out.slice(at, statusEnd).split(' ').pop() ?? '';
    const firstEnd = out.indexOf('\0', statusEnd + 1);
    const first = out.slice(statusEnd + 1, firstEnd);
    at = firstEnd + 1;
    if (status.startsWith('R') || status.startsWith('C')) {
      const secondEnd = out.indexOf('\0', at);
      const second = out.slice(at, secondEnd);
      at = secondEnd + 1;
      if (status.startsWith('R')) removed.push(first);
      added.push(second);
    } else if (status === 'A') added.push(first);
    else if (status === 'D') removed.push(first);
    else changed.push(first);
  }
  // After the raw records git prints one NUL-terminated empty record (and newline) before the patch.
  const diff = out.slice(at).replace(/^\0?\n?/, '');
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), diff };
}
