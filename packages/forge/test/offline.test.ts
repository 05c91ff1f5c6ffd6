/**
 * The built forge, offline: version ids and metadata from each CI's variables, local validation,
 * and rendering (the examples stay in sync with what forge build renders).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binPath, REPO_ROOT, runCli } from '@deploysmith/testkit/bin';
import { kustomizeBuild, readFolder } from '@deploysmith/testkit/gitops';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type AppRepo, createAppRepo, HELLO_WORLD } from './app-repo.ts';

let repo: AppRepo;
let sha: string;

beforeAll(async () => {
  requireTool('git');
  repo = await createAppRepo();
  sha = await repo.head();
});

afterAll(() => repo?.remove());

const forge = (args: string[], env: Record<string, string> = {}, cwd = repo.path) =>
  runCli('forge', args, { cwd, env });

describe('forge version and forge metadata', () => {
  it('prints the short sha outside CI, and --version overrides it', async () => {
    expect(await forge(['version'])).toMatchObject({ exitCode: 0, stdout: sha.slice(0, 7) });
    expect(await forge(['version', '--version', '1.4.0'])).toMatchObject({ exitCode: 0, stdout: '1.4.0' });
    const json = await forge(['version', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ id: sha.slice(0, 7) });
  });

  // One build of the same commit in each CI, with its own variable names; a detached HEAD, as CI checks out.
  const cis: Array<{
    name: string;
    env: (sha: string) => Record<string, string>;
    id: string;
    branch: string;
    url: string;
  }> = [
    {
      name: 'GitHub Actions',
      env: (sha) => ({
        GITHUB_ACTIONS: 'true',
        GITHUB_SHA: sha,
        GITHUB_REF_TYPE: 'branch',
        GITHUB_REF_NAME: 'main',
        GITHUB_RUN_NUMBER: '123',
        GITHUB_RUN_ID: '99',
        GITHUB_REPOSITORY: 'acme/hello-world',
        GITHUB_SERVER_URL: 'https://github.com',
      }),
      id: '123',
      branch: 'main',
      url: 'https://github.com/acme/hello-world/actions/runs/99',
    },
    {
      name: 'GitLab CI',
      env: (sha) => ({
        GITLAB_CI: 'true',
        CI_COMMIT_SHA: sha,
        CI_COMMIT_BRANCH: 'release/1',
        CI_PIPELINE_IID: '77',
        CI_PIPELINE_URL: 'https://gitlab.example.com/acme/hello/-/pipelines/4711',
      }),
      id: '77',
      branch: 'release/1',
      url: 'https://gitlab.example.com/acme/hello/-/pipelines/4711',
    },
    {
      name: 'Azure Pipelines',
      env: (sha) => ({
        TF_BUILD: 'True',
        BUILD_SOURCEVERSION: sha,
        BUILD_SOURCEBRANCH: 'refs/heads/feature/x',
        BUILD_BUILDNUMBER: '20250131.4',
        BUILD_BUILDID: '555',
        SYSTEM_COLLECTIONURI: 'https://dev.azure.com/acme/',
        SYSTEM_TEAMPROJECT: 'hello',
      }),
      id: '20250131.4',
      branch: 'feature/x',
      url: 'https://dev.azure.com/acme/hello/_build/results?buildId=555',
    },
    {
      name: 'Jenkins',
      env: (sha) => ({
        JENKINS_URL: 'https://jenkins.example.com/',
        GIT_COMMIT: sha,
        GIT_BRANCH: 'origin/main',
        BUILD_NUMBER: '88',
        BUILD_URL: 'https://jenkins.example.com/job/hello/88/',
      }),
      id: '88',
      branch: 'main',
      url: 'https://jenkins.example.com/job/hello/88/',
    },
    {
      name: 'Buildkite',
      env: (sha) => ({
        BUILDKITE: 'true',
        BUILDKITE_COMMIT: sha,
        BUILDKITE_BRANCH: 'main',
        BUILDKITE_BUILD_NUMBER: '1024',
        BUILDKITE_BUILD_URL: 'https://buildkite.com/acme/hello/builds/1024',
      }),
      id: '1024',
      branch: 'main',
      url: 'https://buildkite.com/acme/hello/builds/1024',
    },
    {
      name: 'CircleCI',
      env: (sha) => ({
        CIRCLECI: 'true',
        CIRCLE_SHA1: sha,
        CIRCLE_BRANCH: 'develop',
        CIRCLE_BUILD_NUM: '321',
        CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/hello/321',
      }),
      id: '321',
      branch: 'develop',
      url: 'https://circleci.com/gh/acme/hello/321',
    },
  ];

  for (const ci of cis) {
    it(`reads the version id and metadata from ${ci.name}'s variables on a detached HEAD`, async () => {
      const detached = await createAppRepo('forge-ci-');
      try {
        const head = await detached.head();
        const { gitIn } = await import('@deploysmith/testkit/gitops');
        await gitIn(detached.path, ['checkout', '-q', '--detach']);
        const env = { CI: 'true', ...ci.env(head) };
        const version = await forge(['version'], env, detached.path);
        expect(version).toMatchObject({ exitCode: 0, stdout: `${head.slice(0, 7)}-${ci.id}` });
        const metadata = await forge(['metadata', '--app', 'hello-world'], env, detached.path);
        expect(metadata.exitCode).toBe(0);
        expect(parse(metadata.stdout)).toMatchObject({
          app: 'hello-world',
          id: `${head.slice(0, 7)}-${ci.id}`,
          gitSha: head,
          branch: ci.branch,
          buildNumber: ci.id,
          pipelineUrl: ci.url,
          committer: 'Test',
        });
      } finally {
        await detached.remove();
      }
    });
  }

  it('gives the commit date as createdAt, the same on every run', async () => {
    const first = JSON.parse((await forge(['metadata', '--json'])).stdout);
    const second = JSON.parse((await forge(['metadata', '--json'])).stdout);
    expect(first.createdAt).toBe(second.createdAt);
    const { gitIn } = await import('@deploysmith/testkit/gitops');
    const committed = (await gitIn(repo.path, ['show', '-s', '--format=%cI', 'HEAD'])).trim();
    expect(new Date(first.createdAt).getTime()).toBe(new Date(committed).getTime());
  });

  it('lets flags override every field', async () => {
    const result = await forge([
      'metadata',
      '--json',
      '--branch',
      'hotfix',
      '--tag',
      'v1.0.1',
      '--committer',
      'Release Bot',
      '--build-number',
      '5',
      '--pipeline-url',
      'https://ci.example.com/5',
      '--created-at',
      '2025-02-01T00:00:00Z',
      '--version',
      'v1.0.1',
    ]);
    expect(JSON.parse(result.stdout)).toEqual({
      id: 'v1.0.1',
      gitSha: sha,
      branch: 'hotfix',
      tag: 'v1.0.1',
      committer: 'Release Bot',
      buildNumber: '5',
      pipelineUrl: 'https://ci.example.com/5',
      createdAt: '2025-02-01T00:00:00.000Z',
    });
  });

  it('fails with exit 1 and a hint outside a git repository without --git-sha', async () => {
    await using empty = await tempDir('forge-nogit-');
    const result = await forge(['version'], {}, empty.path);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Cannot tell which commit/);
    expect(result.stderr).toMatch(/--git-sha/);
  });
});

describe('forge validate', () => {
  it('accepts the hello-world manifests', async () => {
    const result = await forge(['validate']);
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.stdout).toMatch(/4 objects in 4 files/);
    expect(JSON.parse((await forge(['validate', '--json', 'manifests'])).stdout)).toMatchObject({
      valid: true,
      objects: 4,
      files: ['configmap.yaml', 'deployment.yaml', 'ingress.yaml', 'service.yaml'],
    });
  });

  it('rejects an invalid manifest with exit 1, naming the file and line', async () => {
    await repo.write(
      'broken/apps/deployment.yaml',
      (await repo.read('manifests/deployment.yaml')).replace('replicas: 2', 'replicas: two'),
    );
    const line =
      (await repo.read('broken/apps/deployment.yaml'))
        .split('\n')
        .findIndex((l) => l.includes('replicas: two')) + 1;
    const result = await forge(['validate', 'broken']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`broken/apps/deployment.yaml:${line}`);
    expect(result.stderr).toContain('[invalid_manifests]');
    // On GitHub Actions, each problem is also an annotation on its file and line.
    const github = await forge(['validate', 'broken'], { GITHUB_ACTIONS: 'true' });
    expect(github.stderr).toContain(
      `::error file=broken/apps/deployment.yaml,line=${line},title=invalid_manifests::`,
    );
    const json = await forge(['validate', '--json', 'broken']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'invalid_manifests',
      details: [
        expect.objectContaining({ file: 'broken/apps/deployment.yaml', line, field: 'spec.replicas' }),
      ],
    });
  });

  it('fails with exit 1 on a missing or empty folder', async () => {
    expect(await forge(['validate', 'nowhere'])).toMatchObject({ exitCode: 1 });
    await using empty = await tempDir('forge-empty-');
    const result = await forge(['validate', empty.path]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/No manifests/);
  });
});

describe('forge build', () => {
  it('renders exactly the checked-in manifests of examples/hello-world (they are up to date)', async () => {
    await using out = await tempDir('forge-render-');
    const result = await forge(['build', 'service.yaml', '-o', out.path], {}, HELLO_WORLD);
    expect(result.exitCode).toBe(0);
    expect(await readFolder(out.path)).toEqual(await readFolder(join(HELLO_WORLD, 'manifests')));
  });

  it('prints the JSON schema that is checked in as service.schema.json', async () => {
    const result = await forge(['build', '--print-schema']);
    const file = await readFile(join(REPO_ROOT, 'packages', 'forge', 'service.schema.json'), 'utf8');
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(file));
  });

  it('rejects an invalid spec with exit 1, naming file, line and field', async () => {
    await repo.write('bad-service.yaml', 'name: web\nimage: nginx\nport: 80\nreplicas: many\n');
    const result = await forge(['build', 'bad-service.yaml', '-o', 'out']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/bad-service\.yaml:4: must be integer \(replicas\)/);
  });
});

describe('examples/gitops-flux', () => {
  it('builds with kubectl kustomize in every environment, holding the hello-world manifests as published', async () => {
    requireTool('kubectl');
    const root = join(REPO_ROOT, 'examples', 'gitops-flux');
    const published = await readFolder(join(HELLO_WORLD, 'manifests'));
    for (const env of ['staging', 'production']) {
      const objects = await kustomizeBuild(join(root, 'environments', env, 'apps'));
      expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
        'ConfigMap/hello-world-env',
        'Deployment/hello-world',
        'Ingress/hello-world',
        'Service/hello-world',
      ]);
      expect(await kustomizeBuild(join(root, 'environments', env, 'infrastructure'))).toHaveLength(1);
      const app = await readFolder(join(root, 'environments', env, 'apps', 'hello-world'));
      const { 'kustomization.yaml': _kustomization, ...manifests } = app;
      expect(manifests).toEqual(published);
      const clusters = await readFolder(join(root, 'clusters', env));
      expect(parse(clusters['apps.yaml'] ?? '')).toMatchObject({
        spec: { path: `./environments/${env}/apps` },
      });
    }
  });
});

describe('progress on a terminal', () => {
  it('falls back to plain lines on a terminal that reports no width, instead of spinning forever', async () => {
    const script = requireTool('script');
    // `script` gives forge a pseudo-terminal without a window size: 0 columns.
    const result = await execa(
      script,
      [
        '-qec',
        `${binPath('forge')} publish --app hello-world --server http://127.0.0.1:9 --api-key dsk_x`,
        '/dev/null',
      ],
      {
        cwd: repo.path,
        reject: false,
        timeout: 60_000,
        extendEnv: false,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(3);
    expect(String(result.stdout)).toMatch(/Drafting hello-world \w+: failed after \d+ ms/);
  });
});
