import { git } from '@deploysmith/gitops';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectMetadata, versionFile } from './collect-metadata.ts';
import { defaultVersionId } from './version-id.ts';

const COMMIT_ENV = {
  GIT_AUTHOR_NAME: 'Ada Author',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Carl Committer',
  GIT_COMMITTER_EMAIL: 'carl@example.com',
  GIT_AUTHOR_DATE: '2025-01-31T10:00:00+02:00',
  GIT_COMMITTER_DATE: '2025-01-31T11:30:00+02:00',
};

let repo: TempDir;
let head: string;
const never = () => {
  throw new Error('the clock must not be read when git knows the commit date');
};

beforeAll(async () => {
  requireTool('git');
  repo = await tempDir('forge-metadata-');
  await git(repo.path, ['init', '-q', '-b', 'main']);
  await git(repo.path, ['commit', '-q', '--allow-empty', '-m', 'first'], { env: COMMIT_ENV });
  head = (await git(repo.path, ['rev-parse', 'HEAD'])).trim();
});

afterAll(() => repo?.remove());

describe('collectMetadata', () => {
  it('reads sha, branch, committer and the committer date from git outside CI', async () => {
    const collected = await collectMetadata({ cwd: repo.path, env: {}, now: never });
    expect(collected).toEqual({
      id: head.slice(0, 7),
      ci: null,
      metadata: {
        gitSha: head,
        branch: 'main',
        tag: null,
        committer: 'Carl Committer',
        buildNumber: null,
        pipelineUrl: null,
        createdAt: '2025-01-31T09:30:00.000Z',
      },
    });
  });

  it('gives the same metadata on every run of the same build', async () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: head,
      GITHUB_RUN_NUMBER: '5',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_REF_NAME: 'main',
    };
    const first = await collectMetadata({ cwd: repo.path, env, now: never });
    const second = await collectMetadata({ cwd: repo.path, env, now: never });
    expect(second).toEqual(first);
  });

  it('takes the branch from the CI on a detached HEAD, and the build number into the id', async () => {
    const detached = await tempDir('forge-detached-');
    try {
      await git(detached.path, ['clone', '-q', repo.path, '.']);
      await git(detached.path, ['checkout', '-q', '--detach', 'HEAD']);
      const outside = await collectMetadata({ cwd: detached.path, env: {}, now: never });
      expect(outside.metadata.branch).toBeNull();
      const collected = await collectMetadata({
        cwd: detached.path,
        env: {
          GITLAB_CI: 'true',
          CI_COMMIT_SHA: head,
          CI_COMMIT_BRANCH: 'release/2025-01',
          CI_PIPELINE_IID: '123',
        },
        now: never,
      });
      expect(collected.ci).toBe('gitlab-ci');
      expect(collected.id).toBe(`${head.slice(0, 7)}-123`);
      expect(collected.metadata).toMatchObject({
        branch: 'release/2025-01',
        buildNumber: '123',
        committer: 'Carl Committer',
      });
    } finally {
      await detached.remove();
    }
  });

  it('reads a tag pointing at the commit from git', async () => {
    await git(repo.path, ['tag', 'v1.0.0']);
    try {
      const collected = await collectMetadata({ cwd: repo.path, env: {}, now: never });
      expect(collected.metadata.tag).toBe('v1.0.0');
    } finally {
      await git(repo.path, ['tag', '-d', 'v1.0.0']);
    }
  });

  it('lets every flag override CI and git, and --version override the id', async () => {
    const collected = await collectMetadata({
      cwd: repo.path,
      env: { CIRCLECI: 'true', CIRCLE_SHA1: head, CIRCLE_BRANCH: 'main', CIRCLE_BUILD_NUM: '9' },
      overrides: {
        version: 'release-7',
        gitSha: head.slice(0, 10),
        branch: 'other',
        tag: 'v7',
        committer: 'Someone Else',
        buildNumber: '77',
        pipelineUrl: 'https://ci.example.com/77',
        createdAt: '2025-02-01T00:00:00+01:00',
      },
      now: never,
    });
    expect(collected).toEqual({
      id: 'release-7',
      ci: 'circleci',
      metadata: {
        gitSha: head,
        branch: 'other',
        tag: 'v7',
        committer: 'Someone Else',
        buildNumber: '77',
        pipelineUrl: 'https://ci.example.com/77',
        createdAt: '2025-01-31T23:00:00.000Z',
      },
    });
  });

  it('uses the CI actor as committer and the clock as date only when git knows nothing', async () => {
    const empty = await tempDir('forge-nogit-');
    try {
      const collected = await collectMetadata({
        cwd: empty.path,
        env: { GITHUB_ACTIONS: 'true', GITHUB_SHA: head, GITHUB_ACTOR: 'octocat', GITHUB_RUN_NUMBER: '3' },
        now: () => new Date('2025-03-01T00:00:00Z'),
      });
      expect(collected.metadata).toMatchObject({
        gitSha: head,
        committer: 'octocat',
        createdAt: '2025-03-01T00:00:00.000Z',
      });
    } finally {
      await empty.remove();
    }
  });

  it('refuses to guess the commit without git, CI or --git-sha', async () => {
    const empty = await tempDir('forge-nogit-');
    try {
      await expect(collectMetadata({ cwd: empty.path, env: {} })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/which commit/),
      });
    } finally {
      await empty.remove();
    }
  });

  it('rejects a malformed --git-sha, --created-at and --version', async () => {
    await expect(
      collectMetadata({ cwd: repo.path, env: {}, overrides: { gitSha: 'main' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      collectMetadata({ cwd: repo.path, env: {}, overrides: { createdAt: 'yesterday' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      collectMetadata({ cwd: repo.path, env: {}, overrides: { version: '../x' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('builds the version file with the app name checked', async () => {
    const collected = await collectMetadata({ cwd: repo.path, env: {}, now: never });
    expect(versionFile('hello-world', collected)).toMatchObject({
      app: 'hello-world',
      id: collected.id,
      gitSha: head,
    });
    expect(() => versionFile('Hello_World', collected)).toThrow(/app name/);
  });
});

describe('defaultVersionId', () => {
  it('is the short sha, plus the build number when there is one', () => {
    expect(defaultVersionId('42540c4e1d2a', '123')).toBe('42540c4-123');
    expect(defaultVersionId('42540c4e1d2a', null)).toBe('42540c4');
  });

  it('keeps build numbers with dots and replaces characters an id cannot hold', () => {
    expect(defaultVersionId('42540c4e1d2a', '20250131.4')).toBe('42540c4-20250131.4');
    expect(defaultVersionId('42540c4e1d2a', 'build #12 (nightly)')).toBe('42540c4-build-12-nightly');
  });
});
