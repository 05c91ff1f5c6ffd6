export { initEmbeddedRepo } from './embedded-repo.ts';
export { createGitOpsRepo } from './gitops-repo.ts';
export type {
  DeployCommit,
  GitDeploy,
  GitOpsRepo,
  GitOpsRepoOptions,
  KustomizeCheck,
  RepoConfig,
  RepoLock,
} from './types.ts';
