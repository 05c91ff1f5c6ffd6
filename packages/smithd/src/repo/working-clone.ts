/**
 * smithd's persistent working clone of one GitOps repo: cloned once, then fetched; its HEAD is
 * detached at the last remote head it knows, and its working tree is left clean after every
 * operation. It is a sparse checkout (cone mode, sparse index) holding only the root files and the
 * `environments/<env>/apps` and `clusters/<env>` folders of environments deployed to, so no git
 * command reads or checks the files of other environments: a deploy costs the same whether the
 * repo holds one environment or fifty.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DeployPlan } from '@deploysmith/core';
import { DeploySmithError } from '@deploysmith/core';
import { GitError, type GitIdentity, type GitOptions, git, type ObjectFormat } from '@deploysmith/gitops';
import type { ManifestFile } from '@deploysmith/manifests';
import { cloneConfig, resolveRemote } from './clone-config.ts';
import { parseRawAndPatch } from './plan-from-diff.ts';

export interface WorkingCloneOptions {
  dir: string;
  url: string;
  branch: string;
  author: GitIdentity;
  networkTimeoutMs: number;
}

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
  /** Folders checked out besides the root files. */
  readonly #cone = new Set<string>();

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

  /**
   * Creates or reuses the clone (never re-clones) and fetches; returns the remote head. The working
   * tree is as the last process left it until `resetHard`. Network errors throw GitError.
   */
  async open(): Promise<string | undefined> {
    const gitDir = join(this.dir, '.git');
    const fresh = !existsSync(gitDir);
    if (fresh) {
      await mkdir(this.dir, { recursive: true });
      if ((await readdir(this.dir)).length > 0) {
        throw new DeploySmithError(
          'internal',
          `The working clone folder ${this.dir} is not empty and not a git clone.`,
          {
            hint: 'Point the repo work dir at an empty or missing folder; smithd clones into it.',
          },
        );
      }
      await this.git(['init', '-q']);
    }
    const hooks = join(gitDir, 'no-hooks');
    await mkdir(hooks, { recursive: true });
    await writeFile(
      join(gitDir, 'deploysmith.config'),
      cloneConfig(this.url, this.branch, this.remoteRef, hooks),
    );
    const config = await readFile(join(gitDir, 'config'), 'utf8');
    if (/^\[remote "origin"\]/m.test(config)) await this.git(['remote', 'remove', 'origin']);
    if (!config.includes('path = deploysmith.config')) {
      await appendFile(join(gitDir, 'config'), '[include]\n\tpath = deploysmith.config\n');
    }
    this.objectFormat = /objectformat\s*=\s*sha256/i.test(config) ? 'sha256' : 'sha1';
    if (fresh || !existsSync(join(gitDir, 'info', 'sparse-checkout'))) {
      await this.git(['sparse-checkout', 'set', '--cone', '--sparse-index']);
      return this.fetch();
    }
    // Reading the cone and fetching touch different files, so a restart runs them at once.
    const [cone, remoteHead] = await Promise.all([
      this.git(['sparse-checkout', 'list']).catch(() => ''),
      this.fetch(),
    ]);
    for (const dir of cone.split('\n')) if (dir.trim() !== '') this.#cone.add(dir.trim());
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

  /** Checks out `dirs` (repo-relative folders) from now on, besides what is checked out already. */
  async include(dirs: string[]): Promise<void> {
    const missing = [...new Set(dirs)].filter((dir) => !this.#cone.has(dir));
    if (missing.length === 0) return;
    await this.git(['sparse-checkout', 'add', ...missing]);
    for (const dir of missing) this.#cone.add(dir);
  }

  /** Moves HEAD, index and working tree to `commit` (a no-op when already there and clean). */
  async moveTo(commit: string): Promise<void> {
    if (this.head !== commit) await this.resetHard(commit);
  }

  /** The full reset: every tracked file checked, untracked files removed. Not for the hot path. */
  async resetHard(commit: string): Promise<void> {
    await this.git(['reset', '--quiet', '--hard', commit]);
    await this.git(['clean', '-fdxq']);
    await this.#detach(commit);
    this.head = commit;
  }

  /** HEAD holds the commit id, not a branch: nothing here is a branch of its own. */
  async #detach(commit: string): Promise<void> {
    const head = await readFile(join(this.dir, '.git', 'HEAD'), 'utf8');
    if (head.startsWith('ref:')) await this.git(['update-ref', '--no-deref', 'HEAD', commit]);
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

  /**
   * Commits `change` on top of HEAD and moves HEAD to it. `git fast-import` takes the files' bytes
   * inline and reads only the trees along the changed paths, where `git commit` would first check
   * every file of the environment. Nothing is staged: until `stage(paths)` records the commit's
   * files (the deploy runs it beside the push), the index still holds the parent's entries for
   * them, so the deploy waits neither for `git add` nor for its read of the environment's index.
   */
  async commit(message: string, change: { replaced: string; written: ManifestFile[] }): Promise<string> {
    await this.git(['fast-import', '--quiet', '--done'], { input: this.#fastImportInput(message, change) });
    // A detached HEAD is the commit id itself: reading the file saves starting git once more.
    return this.headOnDisk();
  }

  /** What `git fast-import` reads to commit `change` on HEAD, the files' bytes inline. */
  #fastImportInput(message: string, change: { replaced: string; written: ManifestFile[] }): Buffer {
    const parent = this.head;
    if (parent === undefined) throw new Error('a deploy commit needs a parent: the repo is laid out first');
    const person = (who: GitIdentity) =>
      `${who.name.replace(/[<>\n]/g, '')} <${who.email.replace(/[<>\n]/g, '')}> ${Math.floor(Date.now() / 1000)} +0000`;
    const header = [
      'commit HEAD',
      `author ${person(this.#author)}`,
      `committer ${person(this.#author)}`,
      `data ${Buffer.byteLength(message)}`,
      message,
      `from ${parent}`,
      `D ${fastImportPath(change.replaced)}`,
      '',
    ].join('\n');
    const files = change.written.flatMap((file) => [
      Buffer.from(`M 100644 inline ${fastImportPath(file.path)}\ndata ${file.content.byteLength}\n`),
      file.content,
      Buffer.from('\n'),
    ]);
    return Buffer.concat([Buffer.from(header), ...files, Buffer.from('done\n')]);
  }

  /** What HEAD holds on disk right now (the commit id of a detached HEAD). */
  async headOnDisk(): Promise<string> {
    const head = (await readFile(join(this.dir, '.git', 'HEAD'), 'utf8')).trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head) ? head : (await this.git(['rev-parse', 'HEAD'])).trim();
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

  /** After a successful push (which moved the remote-tracking ref too): `commit` is the new head. */
  pushed(commit: string): void {
    this.head = commit;
    this.#commitsSinceMaintenance += 1;
  }

  /**
   * After a failed push or check: back to `parent` (HEAD, index, working tree), as if the commit of
   * `paths` had never been made. Files it added stay behind a reset when they were never staged.
   */
  async uncommit(parent: string, paths: string[]): Promise<void> {
    await this.git(['reset', '--quiet', '--hard', parent]);
    await this.git(['clean', '-fdxq', '--', ...paths]);
    this.head = parent;
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

  /**
   * Every 50 commits, inside the repo's queue (never in the background): rolls the small packs of
   * the deploys (and loose objects a fetch left) into one, leaving the large packs alone, so that
   * git never searches more than a few dozen packs for an object (50 packs: ~0.25 s).
   */
  async maintain(): Promise<void> {
    if (this.#commitsSinceMaintenance < 50) return;
    this.#commitsSinceMaintenance = 0;
    await this.git(['repack', '-d', '-q', '--geometric=2']).catch(() => undefined);
  }
}

/** A path as fast-import reads it: C-quoted when it could be misread. */
function fastImportPath(path: string): string {
  if (!/["\\\n]/.test(path) && !path.startsWith('"')) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
