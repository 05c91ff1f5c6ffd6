/**
 * What the repo tests share: a bare remote laid out by initEmbeddedRepo in a temporary folder, and
 * GitOpsRepo objects with their own working clones on it (one per simulated smithd process).
 */
import { join } from 'node:path';
import type { DeploymentKind } from '@deploysmith/core';
import { sampleManifests } from '@deploysmith/testkit/gitops';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { initEmbeddedRepo } from './embedded-repo.ts';
import { createGitOpsRepo } from './gitops-repo.ts';
import type { GitDeploy, GitOpsRepo, GitOpsRepoOptions, RepoConfig } from './types.ts';

export const AUTHOR = { name: 'DeploySmith', email: 'smithd@deploysmith.test' };

export interface RepoFixture {
  dir: TempDir;
  remote: string;
  config: RepoConfig;
  /** A GitOpsRepo with its own working clone (`work-<name>`). */
  repo(name?: string, options?: Partial<GitOpsRepoOptions>): GitOpsRepo;
  remove(): Promise<void>;
}

export async function repoFixture(environments = ['staging', 'production']): Promise<RepoFixture> {
  requireTool('git');
  requireTool('kubectl');
  const dir = await tempDir('deploysmith-repo-');
  const remote = join(dir.path, 'gitops.git');
  await initEmbeddedRepo(remote, environments, AUTHOR);
  const config: RepoConfig = { name: 'gitops', url: remote, branch: 'main', author: AUTHOR };
  return {
    dir,
    remote,
    config,
    repo: (name = 'a', options = {}) =>
      createGitOpsRepo(config, {
        workDir: join(dir.path, `work-${name}`),
        kustomizeCheck: 'always',
        ...options,
      }),
    remove: () => dir.remove(),
  };
}

let counter = 0;

/** A deploy of the sample manifests of `app` at `version` (override anything). */
export function deployOf(app: string, version: string, overrides: Partial<GitDeploy> = {}): GitDeploy {
  counter += 1;
  return {
    deployId: `deploy-${process.pid}-${counter}`,
    app,
    version,
    environment: 'staging',
    kind: 'deploy' as DeploymentKind,
    requestedBy: 'alice',
    files: sampleManifests(app, version),
    ...overrides,
  };
}

export const text = (value: string) => new TextEncoder().encode(value);
