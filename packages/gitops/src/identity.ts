/** Who a commit is by, given to git through its environment so no user or global config is needed. */
export interface GitIdentity {
  name: string;
  email: string;
}

export function identityEnv(author: GitIdentity, committer: GitIdentity = author): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}
