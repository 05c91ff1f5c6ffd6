/**
 * The GitOps repos of the configuration. With nothing configured, smithd creates its own bare repo
 * `<data-dir>/gitops.git` with the Flux layout for the embedded environments. A repo that cannot be
 * reached at start-up does not stop smithd: its working clone is opened on first use.
 */
import { join } from 'node:path';
import type { DeployPlan } from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';
import type { SmithdConfig } from '../config/resolve.ts';
import { createGitOpsRepo, initEmbeddedRepo } from '../repo/index.ts';
import type { DeployCommit, GitDeploy, GitOpsRepo, RepoConfig, RepoLock } from '../repo/types.ts';

export function workDirOf(config: SmithdConfig, repo: RepoConfig): string {
  return join(config.dataDir, 'repos', repo.name);
}

export async function openRepos(config: SmithdConfig, lock?: RepoLock): Promise<Map<string, GitOpsRepo>> {
  const repos = new Map<string, GitOpsRepo>();
  for (const repoConfig of config.repos) {
    if (config.embeddedRepo) await initEmbeddedRepo(repoConfig.url, config.environments, repoConfig.author);
    const repo = createGitOpsRepo(repoConfig, {
      workDir: workDirOf(config, repoConfig),
      kustomizeCheck: config.kustomizeCheck,
      ...(lock === undefined ? {} : { lock }),
    });
    repos.set(repoConfig.name, new OpenOnUse(repo));
  }
  return repos;
}

/** Opens the working clone before the first operation that needs it, and again after a failed open. */
class OpenOnUse implements GitOpsRepo {
  readonly #repo: GitOpsRepo;
  #opened: Promise<void> | undefined;

  constructor(repo: GitOpsRepo) {
    this.#repo = repo;
  }

  get config(): RepoConfig {
    return this.#repo.config;
  }

  open(): Promise<void> {
    if (this.#opened === undefined) {
      this.#opened = this.#repo.open().catch((error: unknown) => {
        this.#opened = undefined;
        throw error;
      });
    }
    return this.#opened;
  }

  async plan(deploy: GitDeploy): Promise<DeployPlan> {
    await this.open();
    return this.#repo.plan(deploy);
  }

  apply(deploy: GitDeploy): Promise<{ commit: string; plan: DeployPlan }>;
  apply(deploy: GitDeploy, options: { plan: false }): Promise<{ commit: string }>;
  async apply(deploy: GitDeploy, options?: { plan: false }): Promise<{ commit: string; plan?: DeployPlan }> {
    await this.open();
    return options === undefined ? this.#repo.apply(deploy) : this.#repo.apply(deploy, options);
  }

  verifyAhead(app: string, files: ManifestFile[]): Promise<void> {
    // Not worth opening the clone for: the deploy checks whatever was not verified ahead.
    return this.#repo.verifyAhead(app, files);
  }

  async findDeploys(deployIds: string[]): Promise<Map<string, string>> {
    await this.open();
    return this.#repo.findDeploys(deployIds);
  }

  async history(): Promise<DeployCommit[]> {
    await this.open();
    return this.#repo.history();
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.#repo.exclusive(work);
  }
}
