/**
 * One GitOps repo as smithd writes it: plan a deploy in the working clone (render, check, diff),
 * apply it (commit with trailers, push, re-apply when another writer got there first), and read
 * deploys back from the commits' trailers.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertAppName,
  assertEnvironmentName,
  type DeployPlan,
  DeploySmithError,
  isDeploySmithError,
} from '@deploysmith/core';
import { classifyGitFailure, GitError, treeOid } from '@deploysmith/gitops';
import type { ManifestFile } from '@deploysmith/manifests';
import { appFolderFiles, writeAppFolder } from './app-folder.ts';
import { EnvironmentChecker } from './checks/environment.ts';
import { findKustomize, KustomizeVerifier, kustomizeBuild } from './checks/kustomize.ts';
import { collectKustomization } from './checks/objects.ts';
import { deployCommitMessage, parseDeployCommit, TRAILER } from './deploy-commit.ts';
import { DeployIndex } from './deploy-index.ts';
import { commitFiles } from './embedded-repo.ts';
import { lostRaces, refused, rewritten, unreachable } from './errors.ts';
import { createExclusive, type Exclusive } from './exclusive-queue.ts';
import { appDir, appsDir, appsKustomizationPath, clusterAppsPath, fluxLayoutFiles } from './flux-layout.ts';
import { FolderTrees } from './folder-trees.ts';
import { foldersOutsideApps, type RenderedDeploy, renderDeploy } from './render.ts';
import type { DeployCommit, GitDeploy, GitOpsRepo, GitOpsRepoOptions, RepoConfig } from './types.ts';
import { WorkingClone } from './working-clone.ts';

const DEFAULT_NETWORK_TIMEOUT_MS = 30_000;
const DEFAULT_PUSH_ATTEMPTS = 5;
const DEPLOY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Under the clone's `.git`: app folders copied out to be built ahead of their deploy. */
const AHEAD_DIR = 'deploysmith-ahead';

export function createGitOpsRepo(config: RepoConfig, options: GitOpsRepoOptions): GitOpsRepo {
  return new FluxGitOpsRepo(config, options);
}

class FluxGitOpsRepo implements GitOpsRepo {
  readonly config: RepoConfig;
  readonly exclusive: Exclusive;
  readonly #options: GitOpsRepoOptions;
  readonly #clone: WorkingClone;
  readonly #index = new DeployIndex();
  readonly #checker = new EnvironmentChecker();
  #verifier: KustomizeVerifier | undefined;
  #opened: Promise<void> | undefined;
  readonly #folderTrees = new FolderTrees();

  constructor(config: RepoConfig, options: GitOpsRepoOptions) {
    this.config = config;
    this.#options = options;
    this.#clone = new WorkingClone({
      dir: options.workDir,
      url: config.url,
      branch: config.branch,
      author: config.author,
      networkTimeoutMs: options.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS,
    });
    this.exclusive = createExclusive(config.name, options.lock);
  }

  open(): Promise<void> {
    return this.exclusive(() => this.#ensureOpen());
  }

  plan(deploy: GitDeploy): Promise<DeployPlan> {
    return this.exclusive(async () => {
      await this.#ensureOpen();
      await this.#sync();
      const clone = this.#clone;
      const prepared = await this.#prepare(deploy, async (rendered) => {
        await this.#timed('stage', () => clone.stage(rendered.paths));
        return this.#timed('diff', () => clone.stagedPlan(rendered.paths));
      });
      await clone.restore(prepared.paths);
      return prepared.result;
    });
  }

  apply(deploy: GitDeploy): Promise<{ commit: string; plan: DeployPlan }>;
  apply(deploy: GitDeploy, options: { plan: false }): Promise<{ commit: string }>;
  apply(deploy: GitDeploy, options: { plan?: boolean } = {}): Promise<{ commit: string; plan?: DeployPlan }> {
    assertDeployId(deploy.deployId);
    const withPlan = options.plan !== false;
    return this.exclusive(async () => {
      await this.#ensureOpen();
      const clone = this.#clone;
      const attempts = this.#options.maxPushAttempts ?? DEFAULT_PUSH_ATTEMPTS;
      // The clone is usually at the remote head already (we made the last commit): push without
      // fetching first. The push is a compare-and-swap on that head, so a stale clone costs one
      // rejected attempt, never a wrong commit.
      // A dry run or a settlement may have found the rewrite first; the write is where it is told.
      this.#refuseIfRewritten();
      let synced = false;
      let lastRejection: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const already = this.#index.get(deploy.deployId);
        if (already !== undefined)
          return withPlan ? { commit: already, plan: await clone.commitPlan(already) } : { commit: already };
        const parent = clone.head;
        if (parent === undefined) throw new Error('the working clone has no head after open()');
        let prepared: RenderedDeploy & { result: string };
        try {
          // The commit is made while the checks run; it is only pushed once they pass.
          prepared = await this.#prepare(deploy, (rendered) =>
            this.#timed('commit', () => clone.commit(deployCommitMessage(deploy), rendered)),
          );
        } catch (error) {
          // A refusal judged on a stale clone is judged again on the remote head.
          if (!synced && isRefusal(error) && (await this.#sync())) {
            synced = true;
            attempt -= 1;
            continue;
          }
          throw error;
        }
        const commit = prepared.result;
        // What the commit changed is the deploy's plan; git reads it while the push is under way.
        const planned = withPlan ? this.#timed('diff', () => clone.commitPlan(commit)) : undefined;
        planned?.catch(() => undefined);
        const pushing = this.#timed('push', () => clone.push(commit, parent));
        // The index catches up with the commit while the push is under way (started second, so the
        // push does not wait for its fork).
        const staged = clone.stage(prepared.paths);
        try {
          await pushing;
        } catch (error) {
          await Promise.all([staged.catch(() => undefined), planned?.catch(() => undefined)]);
          await clone.uncommit(parent, prepared.paths);
          const failure = classifyGitFailure(error);
          if (failure === 'unreachable') throw unreachable(this.config, error);
          if (failure === 'refused') throw refused(this.config, error);
          lastRejection = error;
          await this.#sync();
          synced = true;
          this.#refuseIfRewritten();
          await sleep(10 * attempt + Math.random() * 40);
          continue;
        }
        clone.pushed(commit);
        // Pushed: a failed `git add` must not fail the deploy, only cost a full reset.
        await staged.catch(() => clone.resetHard(commit));
        this.#index.recordPushed(deploy.deployId, commit, parent);
        this.#folderTrees.committed(deploy.environment, prepared.appDir, prepared.appOid, parent, commit);
        const plan = await planned;
        await clone.maintain();
        return plan === undefined ? { commit } : { commit, plan };
      }
      throw lostRaces(this.config, attempts, lastRejection);
    });
  }

  async verifyAhead(app: string, files: ManifestFile[]): Promise<void> {
    const verifier = this.#verifier;
    // Not opened yet, or no kustomize check: the deploy does what it must.
    if (verifier === undefined) return;
    let folderFiles: ManifestFile[];
    try {
      assertAppName(app);
      folderFiles = appFolderFiles(files);
    } catch {
      return;
    }
    const aheadDir = join(this.#clone.dir, '.git', AHEAD_DIR);
    await verifier.verifyAhead(treeOid(folderFiles, this.#clone.objectFormat), async () => {
      await mkdir(aheadDir, { recursive: true });
      const root = await mkdtemp(join(aheadDir, 'build-'));
      try {
        await writeAppFolder(root, app, folderFiles);
        // Only a folder that refers to nothing outside itself builds the same here as in the repo;
        // the deploy refuses any other with the same in-process check.
        await collectKustomization(root, app, { boundary: app });
        await kustomizeBuild(verifier.tool, root, app);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  }

  findDeploys(deployIds: string[]): Promise<Map<string, string>> {
    return this.exclusive(async () => {
      await this.#ensureOpen();
      await this.#sync();
      const found = new Map<string, string>();
      for (const id of deployIds) {
        const commit = this.#index.get(id);
        if (commit !== undefined) found.set(id, commit);
      }
      return found;
    });
  }

  history(): Promise<DeployCommit[]> {
    return this.exclusive(async () => {
      await this.#ensureOpen();
      await this.#sync();
      const head = this.#clone.head;
      if (head === undefined) return [];
      const out = await this.#clone.git([
        'log',
        '--reverse',
        '--format=%H%x00%cI%x00%(trailers:only,unfold)%x1e',
        `--grep=^${TRAILER.deployId}:`,
        head,
        '--',
      ]);
      const commits: DeployCommit[] = [];
      for (const record of out.split('\x1e')) {
        const [commit, committedAt, trailers] = record.replace(/^\n/, '').split('\0');
        if (!commit || committedAt === undefined || trailers === undefined) continue;
        const parsed = parseDeployCommit(commit, committedAt, trailers);
        if (parsed !== undefined) commits.push(parsed);
      }
      return commits;
    });
  }

  // -------------------------------------------------------------------------------------------

  #ensureOpen(): Promise<void> {
    this.#opened ??= this.#openOnce().catch((error) => {
      this.#opened = undefined;
      throw error;
    });
    return this.#opened;
  }

  async #openOnce(): Promise<void> {
    const check = this.#options.kustomizeCheck;
    const tool = check === 'never' ? undefined : findKustomize();
    if (tool === undefined && check === 'always') {
      throw new DeploySmithError(
        'internal',
        'The kustomize check is "always" but neither kubectl nor kustomize is on the PATH.',
        {
          hint: 'Install kubectl (it has kustomize built in), or set the kustomize check to "auto" or "never".',
        },
      );
    }
    const clone = this.#clone;
    const head = await this.#network(() => clone.open());
    const verifier =
      tool === undefined
        ? undefined
        : new KustomizeVerifier(tool, join(clone.dir, '.git', 'deploysmith-kustomize-verified'));
    // Independent of each other, so a restart waits for the slowest, not for the sum: a process
    // that died mid-deploy may have left files behind (the clean reset to the remote head), and
    // copies built ahead half-way; the deploy index only reads commits.
    await Promise.all([
      head === undefined ? undefined : clone.resetHard(head),
      head === undefined ? undefined : this.#index.update(clone.dir, head),
      rm(join(clone.dir, '.git', AHEAD_DIR), { recursive: true, force: true }),
      verifier?.load(),
    ]);
    this.#verifier = verifier;
    if (head === undefined) await this.#index.update(clone.dir, await this.#seed());
  }

  /** A rewrite of the branch (a force-push) that dropped deploy commits fails the next deploy, once, naming them. */
  #refuseIfRewritten(): void {
    const dropped = this.#index.takeDropped();
    if (dropped.size > 0) throw rewritten(this.config, dropped);
  }

  /** Fetches, moves the clone to the remote head and indexes new commits; true when the head moved. */
  async #sync(): Promise<boolean> {
    const before = this.#clone.head;
    const head = await this.#network(() => this.#clone.fetch());
    if (head === undefined) {
      throw new DeploySmithError(
        'gitops_rejected',
        `Branch "${this.config.branch}" no longer exists in GitOps repo "${this.config.name}".`,
        {
          hint: 'Someone deleted it. Restore the branch; smithd will not recreate it from nothing, since Flux would remove every app.',
        },
      );
    }
    await this.#clone.moveTo(head);
    await this.#index.update(this.#clone.dir, head);
    return head !== before;
  }

  /** Lays out an empty remote for Flux in a first commit (or takes the layout another writer pushed first). */
  async #seed(): Promise<string> {
    const clone = this.#clone;
    const files = fluxLayoutFiles(this.#options.environments ?? []);
    const commit = await commitFiles(
      join(clone.dir, '.git'),
      files,
      'lay out the GitOps repo for Flux\n',
      this.config.author,
    );
    try {
      await clone.push(commit, undefined);
    } catch (error) {
      if (!(error instanceof GitError) || classifyGitFailure(error) !== 'rejected')
        throw unreachable(this.config, error);
      const head = await this.#network(() => clone.fetch());
      if (head === undefined) throw unreachable(this.config, error);
      await clone.resetHard(head);
      return head;
    }
    await clone.resetHard(commit);
    return commit;
  }

  /**
   * Renders a deploy, then runs `write` (a dry run stages it and reads the diff; a deploy commits it)
   * while the checks run. Returns when both succeeded; otherwise puts the clone back as it
   * was (HEAD, index, working tree) and throws.
   */
  async #prepare<T>(
    deploy: GitDeploy,
    write: (rendered: RenderedDeploy) => Promise<T>,
  ): Promise<RenderedDeploy & { result: T }> {
    const clone = this.#clone;
    assertEnvironmentName(deploy.environment);
    assertAppName(deploy.app);
    await clone.include([appsDir(deploy.environment), `clusters/${deploy.environment}`]);
    await clone.include(await foldersOutsideApps(clone.dir, deploy.environment));
    const parent = clone.head;
    let rendered: RenderedDeploy;
    try {
      rendered = await this.#timed('render', () => renderDeploy(clone.dir, deploy, clone.objectFormat));
    } catch (error) {
      await this.#discard(deploy.environment, deploy.app);
      throw error;
    }
    const folderOids = await this.#folderTrees
      .of(clone, deploy.environment)
      .catch(() => new Map<string, string>());
    // Git (the diff or the commit) and the checks (in-process, then kustomize, reading the
    // working tree) do not depend on each other.
    const [git, checked] = await Promise.allSettled([
      write(rendered),
      this.#check(deploy, rendered, folderOids),
    ]);
    if (git.status === 'fulfilled' && checked.status === 'fulfilled')
      return { ...rendered, result: git.value };
    if (parent !== undefined && (await clone.headOnDisk()) !== parent)
      await clone.uncommit(parent, rendered.paths);
    else await clone.restore(rendered.paths);
    throw git.status === 'rejected' ? git.reason : (checked as PromiseRejectedResult).reason;
  }

  async #check(deploy: GitDeploy, rendered: RenderedDeploy, folderOids: Map<string, string>): Promise<void> {
    const checked = await this.#timed('check', () =>
      this.#checker.check({
        root: this.#clone.dir,
        environment: deploy.environment,
        app: deploy.app,
        appsDir: rendered.appsDir,
        kustomization: rendered.environment,
        appDir: rendered.appDir,
        appOid: rendered.appOid,
        folderOids,
      }),
    );
    await this.#timed('kustomize', async () =>
      this.#verifier?.verify(this.#clone.dir, {
        appsDir: rendered.appsDir,
        app: { dir: rendered.appDir, oid: rendered.appOid },
        others: checked.others,
        listsOnly: rendered.listsOnly,
      }),
    );
  }

  /** Undoes a render that failed half-way: whatever it wrote is staged, then put back as HEAD has it. */
  async #discard(environment: string, app: string): Promise<void> {
    const candidates = [
      appDir(environment, app),
      appsKustomizationPath(environment),
      clusterAppsPath(environment),
    ];
    const present = candidates.filter((path) => existsSync(join(this.#clone.dir, path)));
    if (present.length === 0) return;
    await this.#clone.stage(present).catch(() => undefined);
    await this.#clone.restore(present);
  }

  /** Runs one phase of a deploy, reporting how long it took to `options.trace` when set. */
  async #timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const trace = this.#options.trace;
    if (trace === undefined) return work();
    const started = performance.now();
    try {
      return await work();
    } finally {
      trace(phase, performance.now() - started);
    }
  }

  async #network<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GitError) throw unreachable(this.config, error);
      throw error;
    }
  }
}

function isRefusal(error: unknown): boolean {
  return (
    isDeploySmithError(error) && (error.code === 'object_collision' || error.code === 'tree_does_not_build')
  );
}

function assertDeployId(id: string): void {
  if (!DEPLOY_ID.test(id)) {
    throw new DeploySmithError('invalid_input', `Invalid deploy id ${JSON.stringify(id)}.`, {
      hint: 'A deploy id is letters, digits, ".", "_", ":" and "-", at most 128 characters.',
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
