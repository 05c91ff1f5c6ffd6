import { describe, expect, it } from 'vitest';
import { readCiEnvironment } from './ci-environment.ts';

const SHA = '42540c4e1d2a9b8c7f6e5d4c3b2a190817263544';

describe('readCiEnvironment', () => {
  it('finds no CI in a plain shell', () => {
    expect(readCiEnvironment({ PATH: '/usr/bin', CI: 'true' })).toBeUndefined();
  });

  describe('GitHub Actions', () => {
    const base = {
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: SHA,
      GITHUB_RUN_NUMBER: '123',
      GITHUB_RUN_ID: '9876543210',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/hello-world',
      GITHUB_ACTOR: 'octocat',
    };

    it('reads a branch push', () => {
      expect(readCiEnvironment({ ...base, GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' })).toEqual({
        provider: 'github-actions',
        gitSha: SHA,
        branch: 'main',
        tag: null,
        actor: 'octocat',
        buildNumber: '123',
        pipelineUrl: 'https://github.com/acme/hello-world/actions/runs/9876543210',
      });
    });

    it('reads a tag push as a tag without a branch', () => {
      const facts = readCiEnvironment({ ...base, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v1.2.0' });
      expect(facts).toMatchObject({ tag: 'v1.2.0', branch: null });
    });

    it('takes the source branch of a pull request, not "<n>/merge"', () => {
      const facts = readCiEnvironment({
        ...base,
        GITHUB_REF_TYPE: 'branch',
        GITHUB_REF_NAME: '17/merge',
        GITHUB_HEAD_REF: 'feature/login',
      });
      expect(facts).toMatchObject({ branch: 'feature/login', tag: null });
    });
  });

  it('reads GitLab CI, with the pipeline creation time and the author name without e-mail', () => {
    expect(
      readCiEnvironment({
        GITLAB_CI: 'true',
        CI_COMMIT_SHA: SHA,
        CI_COMMIT_BRANCH: 'main',
        CI_COMMIT_TAG: '',
        CI_COMMIT_AUTHOR: 'Jane Doe <jane@example.com>',
        GITLAB_USER_LOGIN: 'jdoe',
        CI_PIPELINE_IID: '77',
        CI_PIPELINE_URL: 'https://gitlab.example.com/acme/hello/-/pipelines/4711',
        CI_PIPELINE_CREATED_AT: '2025-01-31T12:00:00Z',
      }),
    ).toEqual({
      provider: 'gitlab-ci',
      gitSha: SHA,
      branch: 'main',
      tag: null,
      committer: 'Jane Doe',
      actor: 'jdoe',
      buildNumber: '77',
      pipelineUrl: 'https://gitlab.example.com/acme/hello/-/pipelines/4711',
      createdAt: '2025-01-31T12:00:00.000Z',
    });
  });

  it('reads a GitLab merge request pipeline branch and a tag pipeline', () => {
    expect(
      readCiEnvironment({
        GITLAB_CI: 'true',
        CI_COMMIT_SHA: SHA,
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'fix/x',
      }),
    ).toMatchObject({ branch: 'fix/x', tag: null });
    expect(readCiEnvironment({ GITLAB_CI: 'true', CI_COMMIT_SHA: SHA, CI_COMMIT_TAG: 'v2' })).toMatchObject({
      branch: null,
      tag: 'v2',
    });
  });

  describe('Azure Pipelines', () => {
    const base = {
      TF_BUILD: 'True',
      BUILD_SOURCEVERSION: SHA,
      BUILD_BUILDNUMBER: '20250131.4',
      BUILD_BUILDID: '555',
      BUILD_REQUESTEDFOR: 'Jane Doe',
      SYSTEM_COLLECTIONURI: 'https://dev.azure.com/acme/',
      SYSTEM_TEAMPROJECT: 'Hello World',
      SYSTEM_PIPELINESTARTTIME: '2025-01-31 12:00:00+01:00',
    };

    it('reads a branch build with its full branch name', () => {
      expect(readCiEnvironment({ ...base, BUILD_SOURCEBRANCH: 'refs/heads/feature/login' })).toEqual({
        provider: 'azure-pipelines',
        gitSha: SHA,
        branch: 'feature/login',
        tag: null,
        actor: 'Jane Doe',
        buildNumber: '20250131.4',
        pipelineUrl: 'https://dev.azure.com/acme/Hello%20World/_build/results?buildId=555',
        createdAt: '2025-01-31T11:00:00.000Z',
      });
    });

    it('reads tag builds and pull request builds', () => {
      expect(readCiEnvironment({ ...base, BUILD_SOURCEBRANCH: 'refs/tags/v3' })).toMatchObject({
        tag: 'v3',
        branch: null,
      });
      expect(
        readCiEnvironment({
          ...base,
          BUILD_SOURCEBRANCH: 'refs/pull/12/merge',
          SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/fix/y',
        }),
      ).toMatchObject({ branch: 'fix/y', tag: null });
    });
  });

  describe('Jenkins', () => {
    const base = {
      JENKINS_URL: 'https://jenkins.example.com/',
      GIT_COMMIT: SHA,
      BUILD_NUMBER: '88',
      BUILD_URL: 'https://jenkins.example.com/job/hello/88/',
      GIT_COMMITTER_NAME: 'Jane Doe',
    };

    it('strips the remote from the git plugin branch of a plain job', () => {
      expect(readCiEnvironment({ ...base, GIT_BRANCH: 'origin/main' })).toEqual({
        provider: 'jenkins',
        gitSha: SHA,
        branch: 'main',
        tag: null,
        committer: 'Jane Doe',
        buildNumber: '88',
        pipelineUrl: 'https://jenkins.example.com/job/hello/88/',
      });
    });

    it('prefers the multibranch variables: the pull request source branch, and tags', () => {
      expect(readCiEnvironment({ ...base, BRANCH_NAME: 'PR-4', CHANGE_BRANCH: 'feature/z' })).toMatchObject({
        branch: 'feature/z',
      });
      expect(readCiEnvironment({ ...base, BRANCH_NAME: 'v1.0', TAG_NAME: 'v1.0' })).toMatchObject({
        branch: null,
        tag: 'v1.0',
      });
    });
  });

  it('reads Buildkite, ignoring a commit of "HEAD"', () => {
    expect(
      readCiEnvironment({
        BUILDKITE: 'true',
        BUILDKITE_COMMIT: 'HEAD',
        BUILDKITE_BRANCH: 'main',
        BUILDKITE_TAG: '',
        BUILDKITE_BUILD_NUMBER: '1024',
        BUILDKITE_BUILD_URL: 'https://buildkite.com/acme/hello/builds/1024',
        BUILDKITE_BUILD_AUTHOR: 'Jane Doe',
        BUILDKITE_BUILD_CREATOR: 'CI Bot',
      }),
    ).toEqual({
      provider: 'buildkite',
      branch: 'main',
      tag: null,
      committer: 'Jane Doe',
      actor: 'CI Bot',
      buildNumber: '1024',
      pipelineUrl: 'https://buildkite.com/acme/hello/builds/1024',
    });
  });

  it('reads CircleCI, including a tag build', () => {
    const base = {
      CIRCLECI: 'true',
      CIRCLE_SHA1: SHA,
      CIRCLE_BUILD_NUM: '321',
      CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/hello/321',
      CIRCLE_USERNAME: 'jdoe',
    };
    expect(readCiEnvironment({ ...base, CIRCLE_BRANCH: 'main' })).toEqual({
      provider: 'circleci',
      gitSha: SHA,
      branch: 'main',
      tag: null,
      actor: 'jdoe',
      buildNumber: '321',
      pipelineUrl: 'https://circleci.com/gh/acme/hello/321',
    });
    expect(readCiEnvironment({ ...base, CIRCLE_TAG: 'v9' })).toMatchObject({ tag: 'v9', branch: null });
  });
});
