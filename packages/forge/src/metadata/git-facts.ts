/**
 * What the local git checkout says about a commit, from ONE git process (every process costs tens
 * of milliseconds in a CI container). Every question may go unanswered (no git, not a repository, a
 * shallow clone without the commit): the answer is then undefined, never an error, because the CI
 * variables or a flag may supply it.
 */
import { gitRead } from '@deploysmith/gitops';

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

/** Facts about `commit` (default HEAD) in the repository at `cwd`. */
export async function readGitFacts(cwd: string, commit = 'HEAD'): Promise<GitFacts> {
  let out: string;
  try {
    // %D lists the refs at the commit: "HEAD -> main, tag: v1.2.0, origin/main".
    out = await gitRead(cwd, [
      '-c',
      'log.showSignature=false',
      'show',
      '--no-patch',
      '--format=%H%x00%cn%x00%cI%x00%D',
      `${commit}^{commit}`,
      '--',
    ]);
  } catch {
    return {};
  }
  const [sha, committer, date, refs] = out.trim().split('\0');
  const facts: GitFacts = {};
  if (sha && /^[0-9a-f]{40,64}$/.test(sha)) facts.gitSha = sha;
  if (committer) facts.committer = committer;
  if (date && !Number.isNaN(Date.parse(date))) facts.committedAt = new Date(date).toISOString();
  for (const ref of (refs ?? '').split(', ')) {
    if (ref.startsWith('HEAD -> ')) facts.branch = ref.slice('HEAD -> '.length);
    else if (ref.startsWith('tag: ') && facts.tag === undefined) facts.tag = ref.slice('tag: '.length);
  }
  return facts;
}
