/**
 * A deploy as a commit: the message a person reads in `git log`, and the trailers smithd reads back
 * to settle pending deploys and to rebuild its history from git alone.
 */
import type { DeploymentKind } from '@deploysmith/core';
import { formatCommitMessage, parseTrailerLines } from '@deploysmith/gitops';
import type { DeployCommit, GitDeploy } from './types.ts';

export const TRAILER = {
  deployId: 'Deploy-Id',
  app: 'App',
  version: 'Version',
  environment: 'Environment',
  kind: 'Kind',
  requestedBy: 'Requested-By',
} as const;

const KINDS = new Set<string>(['deploy', 'auto-deploy', 'rollback']);

/** e.g. `deploy hello-world 42540c4-123 to staging (rollback, requested by alice)`. */
export function deployCommitMessage(deploy: GitDeploy): string {
  const subject = `deploy ${deploy.app} ${deploy.version} to ${deploy.environment} (${deploy.kind}, requested by ${deploy.requestedBy})`;
  return formatCommitMessage(subject, [
    [TRAILER.deployId, deploy.deployId],
    [TRAILER.app, deploy.app],
    [TRAILER.version, deploy.version],
    [TRAILER.environment, deploy.environment],
    [TRAILER.kind, deploy.kind],
    [TRAILER.requestedBy, deploy.requestedBy],
  ]);
}

/** The deploy a commit records, or undefined when its trailers do not describe one completely. */
export function parseDeployCommit(
  commit: string,
  committedAt: string,
  trailerText: string,
): DeployCommit | undefined {
  const trailers = parseTrailerLines(trailerText);
  const get = (key: string) => trailers.get(key);
  const deployId = get(TRAILER.deployId);
  const app = get(TRAILER.app);
  const version = get(TRAILER.version);
  const environment = get(TRAILER.environment);
  const kind = get(TRAILER.kind);
  const requestedBy = get(TRAILER.requestedBy);
  if (!deployId || !app || !version || !environment || !kind || requestedBy === undefined || !KINDS.has(kind))
    return undefined;
  const date = new Date(committedAt);
  return {
    commit,
    committedAt: Number.isNaN(date.getTime()) ? committedAt : date.toISOString(),
    deployId,
    app,
    environment,
    version,
    kind: kind as DeploymentKind,
    requestedBy,
  };
}
