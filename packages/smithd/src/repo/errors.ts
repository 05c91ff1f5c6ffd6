/** The git side's expected failures, worded for the person who asked for the deploy. */
import { DeploySmithError, type ErrorDetail } from '@deploysmith/core';
import { gitFailureSummary, YamlFileError } from '@deploysmith/gitops';
import type { RepoConfig } from './types.ts';

/** A URL with its password or token replaced, fit for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/)[^/@\s]+@/g, '$1***@');
}

function describe(config: RepoConfig): string {
  return `GitOps repo "${config.name}" (${redactUrl(config.url)})`;
}

export function unreachable(config: RepoConfig, cause: unknown): DeploySmithError {
  return new DeploySmithError(
    'gitops_unreachable',
    `${describe(config)} cannot be reached: ${redactUrl(gitFailureSummary(cause))}`,
    {
      hint: 'Check the URL, the network and the credentials for that repo. Nothing was deployed.',
      cause,
    },
  );
}

export function refused(config: RepoConfig, cause: unknown): DeploySmithError {
  return new DeploySmithError(
    'gitops_rejected',
    `${describe(config)} refused the push: ${redactUrl(gitFailureSummary(cause))}`,
    {
      hint: 'The remote rejected the commit (a hook or a branch protection rule). Nothing was deployed.',
      cause,
    },
  );
}

export function rewritten(config: RepoConfig, dropped: Map<string, string>): DeploySmithError {
  const ids = [...dropped.keys()];
  const shown = ids.slice(0, 10).join(', ') + (ids.length > 10 ? ` and ${ids.length - 10} more` : '');
  return new DeploySmithError(
    'gitops_rejected',
    `Branch "${config.branch}" of ${describe(config)} was rewritten by someone else (a force-push): ${ids.length} deploy commit${ids.length === 1 ? '' : 's'} smithd pushed ${ids.length === 1 ? 'is' : 'are'} no longer on it (Deploy-Id ${shown}). Nothing was deployed.`,
    {
      hint: `Put them back (push the old commits again, e.g. merge ${[...dropped.values()][0]}) or deploy the apps they carried again; the next deploy builds on the branch as it is now.`,
    },
  );
}

export function lostRaces(config: RepoConfig, attempts: number, cause: unknown): DeploySmithError {
  return new DeploySmithError(
    'gitops_rejected',
    `${describe(config)} kept moving: the push was rejected ${attempts} times because other commits landed first.`,
    { hint: 'Something else is pushing to that branch very often. Try again; nothing was deployed.', cause },
  );
}

export function treeDoesNotBuild(message: string, details: ErrorDetail[] = []): DeploySmithError {
  return new DeploySmithError('tree_does_not_build', message, {
    hint: 'Nothing was committed. Fix the version (or the environment folder) so that kustomize can build it.',
    details,
  });
}

/** A file of the repo that cannot be read as YAML stops the deploy as a tree that does not build. */
export function yamlProblem(error: unknown): DeploySmithError | undefined {
  if (!(error instanceof YamlFileError)) return undefined;
  return treeDoesNotBuild(`${error.message}`, [
    { file: error.file, ...(error.line === undefined ? {} : { line: error.line }), message: error.message },
  ]);
}
