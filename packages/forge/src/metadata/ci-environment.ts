/**
 * What each supported CI tells about the build through its environment variables. CI checkouts are
 * often a detached HEAD, so the branch (and tag) must come from here rather than from git.
 *
 * A field that is `undefined` is unknown (git may fill it in); `null` is known to be absent, e.g.
 * the branch of a tag build.
 */

export type CiProvider =
  | 'github-actions'
  | 'gitlab-ci'
  | 'azure-pipelines'
  | 'jenkins'
  | 'buildkite'
  | 'circleci';

export interface CiFacts {
  provider: CiProvider;
  gitSha?: string;
  branch?: string | null;
  tag?: string | null;
  /** Committer (or author) of the commit, when the CI exposes it. */
  committer?: string;
  /** Who started the build: used for the committer only when git cannot tell. */
  actor?: string;
  buildNumber?: string;
  pipelineUrl?: string;
  /** When the pipeline was created, if the CI gives a time that is the same for every retry of it. */
  createdAt?: string;
}

type Env = Record<string, string | undefined>;

/** The CI this process runs in, and what it says about the build; undefined outside a known CI. */
export function readCiEnvironment(env: Env): CiFacts | undefined {
  for (const detect of DETECTORS) {
    const facts = detect(env);
    if (facts) return dropEmpty(facts);
  }
  return undefined;
}

const DETECTORS: Array<(env: Env) => CiFacts | undefined> = [
  githubActions,
  gitlabCi,
  azurePipelines,
  jenkins,
  buildkite,
  circleCi,
];

/** https://docs.github.com/en/actions/reference/variables-reference */
function githubActions(env: Env): CiFacts | undefined {
  if (env.GITHUB_ACTIONS !== 'true') return undefined;
  const isTag = env.GITHUB_REF_TYPE === 'tag';
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    provider: 'github-actions',
    gitSha: env.GITHUB_SHA,
    // On pull requests GITHUB_REF_NAME is "<n>/merge"; the source branch is GITHUB_HEAD_REF.
    branch: isTag
      ? null
      : (nonEmpty(env.GITHUB_HEAD_REF) ??
        (env.GITHUB_REF_TYPE === 'branch' ? env.GITHUB_REF_NAME : undefined)),
    tag: isTag ? env.GITHUB_REF_NAME : env.GITHUB_REF_TYPE === 'branch' ? null : undefined,
    actor: env.GITHUB_ACTOR,
    buildNumber: env.GITHUB_RUN_NUMBER,
    // Without the attempt number: a re-run of the same workflow run publishes the same version.
    pipelineUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
  };
}

/** https://docs.gitlab.com/ci/variables/predefined_variables/ */
function gitlabCi(env: Env): CiFacts | undefined {
  if (env.GITLAB_CI !== 'true') return undefined;
  const tag = nonEmpty(env.CI_COMMIT_TAG);
  return {
    provider: 'gitlab-ci',
    gitSha: env.CI_COMMIT_SHA,
    branch: tag
      ? null
      : (nonEmpty(env.CI_COMMIT_BRANCH) ?? nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME)),
    tag: tag ?? null,
    committer: personName(env.CI_COMMIT_AUTHOR),
    actor: env.GITLAB_USER_LOGIN,
    buildNumber: env.CI_PIPELINE_IID,
    pipelineUrl: env.CI_PIPELINE_URL,
    createdAt: isoTime(env.CI_PIPELINE_CREATED_AT),
  };
}

/** https://learn.microsoft.com/azure/devops/pipelines/build/variables */
function azurePipelines(env: Env): CiFacts | undefined {
  if (env.TF_BUILD?.toLowerCase() !== 'true') return undefined;
  const ref = env.BUILD_SOURCEBRANCH ?? '';
  let branch: string | null | undefined;
  let tag: string | null | undefined;
  if (ref.startsWith('refs/tags/')) {
    tag = ref.slice('refs/tags/'.length);
    branch = null;
  } else if (ref.startsWith('refs/pull/')) {
    branch = stripPrefix(env.SYSTEM_PULLREQUEST_SOURCEBRANCH, 'refs/heads/');
    tag = null;
  } else if (ref.startsWith('refs/heads/')) {
    branch = ref.slice('refs/heads/'.length);
    tag = null;
  }
  const collection = env.SYSTEM_COLLECTIONURI;
  const project = env.SYSTEM_TEAMPROJECT;
  return {
    provider: 'azure-pipelines',
    gitSha: env.BUILD_SOURCEVERSION,
    branch,
    tag,
    actor: env.BUILD_REQUESTEDFOR,
    buildNumber: env.BUILD_BUILDNUMBER,
    pipelineUrl:
      collection && project && env.BUILD_BUILDID
        ? `${collection.replace(/\/?$/, '/')}${encodeURIComponent(project)}/_build/results?buildId=${env.BUILD_BUILDID}`
        : undefined,
    createdAt: isoTime(env.SYSTEM_PIPELINESTARTTIME),
  };
}

/** https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#using-environment-variables and the git plugin */
function jenkins(env: Env): CiFacts | undefined {
  if (!nonEmpty(env.JENKINS_URL)) return undefined;
  const tag = nonEmpty(env.TAG_NAME);
  // Multibranch pipelines: CHANGE_BRANCH for a pull request, BRANCH_NAME otherwise; plain jobs
  // only have the git plugin's GIT_BRANCH, which carries the remote name ("origin/main").
  const branch = tag
    ? null
    : (nonEmpty(env.CHANGE_BRANCH) ??
      nonEmpty(env.BRANCH_NAME) ??
      nonEmpty(env.GIT_BRANCH?.replace(/^(refs\/heads\/|refs\/remotes\/[^/]+\/|origin\/)/, '')));
  return {
    provider: 'jenkins',
    gitSha: env.GIT_COMMIT,
    branch,
    tag: tag ?? (branch ? null : undefined),
    committer: nonEmpty(env.GIT_COMMITTER_NAME) ?? env.GIT_AUTHOR_NAME,
    actor: env.BUILD_USER_ID,
    buildNumber: env.BUILD_NUMBER,
    pipelineUrl: env.BUILD_URL,
  };
}

/** https://buildkite.com/docs/pipelines/configure/environment-variables */
function buildkite(env: Env): CiFacts | undefined {
  if (env.BUILDKITE !== 'true') return undefined;
  const tag = nonEmpty(env.BUILDKITE_TAG);
  return {
    provider: 'buildkite',
    // Buildkite may say "HEAD" before the checkout resolved it; git fills that in.
    gitSha: env.BUILDKITE_COMMIT,
    branch: tag ? null : env.BUILDKITE_BRANCH,
    tag: tag ?? null,
    committer: env.BUILDKITE_BUILD_AUTHOR,
    actor: env.BUILDKITE_BUILD_CREATOR,
    buildNumber: env.BUILDKITE_BUILD_NUMBER,
    pipelineUrl: env.BUILDKITE_BUILD_URL,
  };
}

/** https://circleci.com/docs/reference/variables/ */
function circleCi(env: Env): CiFacts | undefined {
  if (env.CIRCLECI !== 'true') return undefined;
  const tag = nonEmpty(env.CIRCLE_TAG);
  return {
    provider: 'circleci',
    gitSha: env.CIRCLE_SHA1,
    branch: tag ? null : env.CIRCLE_BRANCH,
    tag: tag ?? null,
    actor: env.CIRCLE_USERNAME,
    buildNumber: env.CIRCLE_BUILD_NUM,
    pipelineUrl: env.CIRCLE_BUILD_URL,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function stripPrefix(value: string | undefined, prefix: string): string | undefined {
  const text = nonEmpty(value);
  return text?.startsWith(prefix) ? nonEmpty(text.slice(prefix.length)) : text;
}

/** "Jane Doe <jane@example.com>" → "Jane Doe" */
function personName(value: string | undefined): string | undefined {
  return nonEmpty(value?.replace(/\s*<[^>]*>\s*$/, ''));
}

function isoTime(value: string | undefined): string | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** Empty variables count as unset; `gitSha` must look like a commit id. */
function dropEmpty(facts: CiFacts): CiFacts {
  const result: CiFacts = { provider: facts.provider };
  for (const [key, value] of Object.entries(facts) as Array<[keyof CiFacts, string | null | undefined]>) {
    if (key === 'provider' || value === undefined) continue;
    if (value === null) {
      (result as unknown as Record<string, null>)[key] = null;
      continue;
    }
    const text = value.trim();
    if (text === '') continue;
    if (key === 'gitSha' && !/^[0-9a-f]{7,64}$/i.test(text)) continue;
    (result as unknown as Record<string, string>)[key] = key === 'gitSha' ? text.toLowerCase() : text;
  }
  return result;
}
