/**
 * What the local git checkout says about a commit. Every question may go unanswered (no git, not a
 * repository, a shallow clone without the commit): the answer is then undefined, never an error,
 * because the CI variables or a flag may supply it.
 */
import { git } from '@deploysmith/gitops';

export interface GitFacts {
  gitSha?: string;
  /** The checked-out branch, when the commit is HEAD; undefined on a detached HEAD. */
  branch?: string;
  /** A tag pointing at the commit. */
  tag?: string;
  committer?: string;
  /** Committer date, ISO 8601 in UTC: the same on every rerun of a build of this commit. */
  committedAt?: string;
}

async function ask(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = (await git(cwd, args)).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

/** Facts about `commit` (default HEAD) in the repository at `cwd`. */
export async function readGitFacts(cwd: string, commit = 'HEAD'): Promise<GitFacts> {
  const [sha, head, branch, tags, show] = await Promise.all([
    ask(cwd, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]),
    ask(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    ask(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']),
    ask(cwd, ['tag', '--points-at', commit, '--sort=-creatordate']),
    ask(cwd, ['show', '--no-patch', '--format=%cn%x00%cI', commit]),
  ]);
  const facts: GitFacts = {};
  if (sha !== undefined) facts.gitSha = sha;
  // The checked-out branch says nothing about another commit.
  if (branch !== undefined && sha !== undefined && sha === head) facts.branch = branch;
  const tag = tags?.split('\n')[0]?.trim();
  if (tag) facts.tag = tag;
  if (show !== undefined) {
    const [committer, date] = show.split('\0');
    if (committer) facts.committer = committer;
    if (date && !Number.isNaN(Date.parse(date))) facts.committedAt = new Date(date).toISOString();
  }
  return facts;
}
