/**
 * The image a values.yaml had before its current one, read from the repo's git history: the
 * removed `image:` lines of `git log -p` for that file, newest commit first.
 */
import { DeploySmithError } from '@deploysmith/core';
import { GitError, git } from '@deploysmith/gitops';
import { parse } from 'yaml';
import type { SmudRepo } from '../repo/smud-repo.ts';

export interface HistoricImage {
  image: string;
  /** The commit that replaced it. */
  commit: string;
}

const REMOVED_IMAGE = /^-\s+image:\s*(.*?)\s*(?:\s#.*)?$/;

function scalarValue(source: string): string | undefined {
  try {
    const value: unknown = parse(source);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Every image the file held before, newest first, with the commit that replaced it. */
export async function imageHistory(repo: SmudRepo, file: string): Promise<HistoricImage[]> {
  let log: string;
  try {
    log = await git(repo.root, ['log', '-p', '--no-color', '--no-ext-diff', '--format=%x00%H', '--', file]);
  } catch (error) {
    if (error instanceof GitError) {
      throw new DeploySmithError(
        'invalid_input',
        `Cannot read the git history of ${file}: ${error.stderr.trim() || error.message}`,
        {
          hint: 'Rollback without --to needs the repository history; pass --to DIGEST instead.',
          cause: error,
        },
      );
    }
    throw error;
  }
  const history: HistoricImage[] = [];
  for (const entry of log.split('\0').slice(1)) {
    const [commit = '', ...lines] = entry.split('\n');
    for (const line of lines) {
      const match = REMOVED_IMAGE.exec(line);
      const image = match?.[1] === undefined ? undefined : scalarValue(match[1]);
      if (image !== undefined && image !== '') history.push({ image, commit: commit.trim() });
    }
  }
  return history;
}

/** The newest earlier image that differs from `current`. */
export async function previousImage(repo: SmudRepo, file: string, current: string): Promise<HistoricImage> {
  const found = (await imageHistory(repo, file)).find((entry) => entry.image !== current);
  if (found === undefined) {
    throw new DeploySmithError(
      'not_found',
      `The git history of ${file} has no image before the current one`,
      {
        hint: 'Pass the digest to go back to with --to sha256:….',
      },
    );
  }
  return found;
}
