/**
 * The contract between smithd's deploy service (database, pins, policies, idempotency) and the
 * git side (working clone, plan, commit, push). The git side knows nothing of the database.
 */
import type { DeploymentKind, DeployPlan } from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';

export interface RepoConfig {
  /** Name apps refer to, e.g. "gitops". */
  name: string;
  /** Clone URL or local path of the remote. */
  url: string;
  branch: string;
  author: { name: string; email: string };
}

export interface GitDeploy {
  deployId: string;
  app: string;
  environment: string;
  version: string;
  kind: DeploymentKind;
  requestedBy: string;
  /** The version's manifests as published, byte for byte; paths relative to `manifests/`. */
  files: ManifestFile[];
}

/** A deploy as its commit's trailers record it. */
export interface DeployCommit {
  commit: string;
  committedAt: string;
  deployId: string;
  app: string;
  environment: string;
  version: string;
  kind: DeploymentKind;
  requestedBy: string;
}

export interface GitOpsRepo {
  readonly config: RepoConfig;
  /** Clones or fetches the working clone; seeds an empty remote with the Flux layout. */
  open(): Promise<void>;
  /** The new tree, its checks and its diff; the working clone and the remote stay as they were. */
  plan(deploy: GitDeploy): Promise<DeployPlan>;
  /**
   * Plans, commits with the Deploy-Id/App/Version/Environment/Kind/Requested-By trailers and pushes,
   * re-applying on a rejected push. Throws DeploySmithError: tree_does_not_build, object_collision,
   * gitops_unreachable, gitops_rejected.
   */
  apply(deploy: GitDeploy): Promise<{ commit: string; plan: DeployPlan }>;
  /** The same without reading the commit's diff back (the deploy service does not answer with it). */
  apply(deploy: GitDeploy, options: { plan: false }): Promise<{ commit: string }>;
  /**
   * Builds the app folder `files` make with kustomize now, on a copy outside the working clone and
   * without the repo's lock, so a deploy of them that follows (an auto-deploy of a version being
   * published) waits for this build instead of starting its own. Best effort: never throws, and a
   * folder that did not build is built again by the deploy, which refuses it.
   */
  verifyAhead(app: string, files: ManifestFile[]): Promise<void>;
  /** Commits on the remote branch whose Deploy-Id trailer is one of `deployIds`, by id. */
  findDeploys(deployIds: string[]): Promise<Map<string, string>>;
  /** Every deploy commit on the remote branch, oldest first. */
  history(): Promise<DeployCommit[]>;
  /** Runs `work` with this repo's writes serialised (in-process, and across replicas by `RepoLock`). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/** Serialises writes to one repo across processes (PostgreSQL advisory lock); none with SQLite. */
export type RepoLock = <T>(repo: string, work: () => Promise<T>) => Promise<T>;

export type KustomizeCheck = 'auto' | 'always' | 'never';

export interface GitOpsRepoOptions {
  /** Where the working clone lives, e.g. `<data-dir>/repos/<name>`. */
  workDir: string;
  kustomizeCheck: KustomizeCheck;
  lock?: RepoLock;
  /** Environments laid out when the remote has no branch yet (default: none, only a README). */
  environments?: string[];
  /** Fetch and push give up after this long (default 30 s), so an unreachable remote fails fast. */
  networkTimeoutMs?: number;
  /** Pushes rejected because the branch moved are re-applied this many times in all (default 5). */
  maxPushAttempts?: number;
  /** Told how long each phase of a deploy took (render, stage, diff, check, kustomize, commit, push). */
  trace?: (phase: string, ms: number) => void;
}
