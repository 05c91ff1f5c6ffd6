/**
 * The built forge against a real smithd (SQLite, disk storage, a bare GitOps repo): publishing,
 * retrying, conflicts, invalid manifests, unreachable and unauthorized servers, refused upload URLs,
 * auto-deploys and GitHub Actions.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SmithClient } from '@deploysmith/client';
import type { Deployment, PublishResponse } from '@deploysmith/core';
import { REPO_ROOT, runCli } from '@deploysmith/testkit/bin';
import { cloneRepo, gitIn, headOf, kustomizeBuild, readFolder } from '@deploysmith/testkit/gitops';
import { freePort } from '@deploysmith/testkit/ports';
import { type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppRepo, createAppRepo } from './app-repo.ts';
import { startTamperingProxy, type TamperingProxy } from './tampering-proxy.ts';

const APP = 'hello-world';

let smithd: SmithdHandle;
let client: SmithClient;
let repo: AppRepo;
let proxy: TamperingProxy;

beforeAll(async () => {
  requireTool('git');
  requireTool('kubectl');
  smithd = await startSmithd();
  client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
  await client.registerApp({ name: APP, environments: ['staging', 'production'] });
  await client.putPolicy(APP, 'staging', { branch: 'main' });
  repo = await createAppRepo();
  proxy = await startTamperingProxy(smithd.url);
});

afterAll(async () => {
  await proxy?.close();
  await client?.close();
  await smithd?.stop();
  await repo?.remove();
});

type PublishJson = PublishResponse & { uploaded: boolean };

function forge(args: string[], env: Record<string, string> = {}) {
  return runCli('forge', args, {
    cwd: repo.path,
    env: { SMITH_URL: smithd.url, SMITH_API_KEY: smithd.apiKey, CI: 'true', ...env },
  });
}

async function gitopsHead(): Promise<string | undefined> {
  return headOf(smithd.gitopsRemote);
}

async function deploymentsOf(app: string): Promise<Deployment[]> {
  return (await client.listDeployments(app)).items;
}

/** Changes the app's ConfigMap and commits: new content, new commit, new version id. */
async function commitNewContent(message: string): Promise<string> {
  const configmap = await repo.read('manifests/configmap.yaml');
  await repo.write(
    'manifests/configmap.yaml',
    configmap.replace(/PODINFO_UI_MESSAGE: .*/, `PODINFO_UI_MESSAGE: ${message}`),
  );
  return (await repo.commit(message)).slice(0, 7);
}

async function versionState(id: string): Promise<string> {
  try {
    return (await client.getVersion(APP, id)).state;
  } catch (error) {
    if ((error as { code?: string }).code === 'not_found') return 'absent';
    throw error;
  }
}

describe('forge publish', () => {
  let first: { id: string; sha256: string; deployments: Deployment[]; gitops: string | undefined };

  it('publishes a version and prints its id and the auto-deploy it triggered', async () => {
    const id = (await repo.head()).slice(0, 7);
    const result = await forge(['publish', '--app', APP]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Published ${APP} ${id}`);
    expect(result.stdout).toMatch(/auto-deploy to staging: succeeded, GitOps commit [0-9a-f]{7}/);
    // In CI: plain progress lines with timings on stderr, no spinner, no colour codes.
    expect(result.stderr).toMatch(new RegExp(`Publishing ${APP} ${id}: done in \\d+ ms`));
    expect(result.stderr + result.stdout).not.toContain('\u001b[');

    const version = await client.getVersion(APP, id);
    expect(version).toMatchObject({ state: 'published', deployedTo: ['staging'] });
    expect(version.files?.slice().sort()).toEqual([
      'configmap.yaml',
      'deployment.yaml',
      'ingress.yaml',
      'service.yaml',
    ]);
    const deployments = await deploymentsOf(APP);
    expect(deployments).toHaveLength(1);
    first = { id, sha256: version.sha256, deployments, gitops: await gitopsHead() };
  });

  it('writes the manifests byte for byte into the GitOps repo, laid out as examples/gitops-flux shows', async () => {
    await using clone = await tempDir('forge-gitops-');
    await cloneRepo(smithd.gitopsRemote, clone.path);
    const example = join(REPO_ROOT, 'examples', 'gitops-flux');
    // What smithd writes (clusters/, the apps list, the app folder) is what the example holds;
    // only infrastructure/ differs, being the hand-edited part.
    for (const folder of ['clusters', 'environments/staging/apps']) {
      expect(await readFolder(join(clone.path, folder)), folder).toEqual(
        await readFolder(join(example, folder)),
      );
    }
    expect(await readFolder(join(clone.path, 'environments', 'staging', 'apps', APP))).toMatchObject(
      await readFolder(join(repo.path, 'manifests')),
    );
    const objects = await kustomizeBuild(join(clone.path, 'environments', 'staging', 'apps'));
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'Service']);
  });

  it('publishes the same build again harmlessly: same id and sha256, no upload, no second deploy (--json)', async () => {
    const result = await forge(['publish', '--app', APP, '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as PublishJson;
    expect(json.version).toMatchObject({ app: APP, id: first.id, sha256: first.sha256, state: 'published' });
    expect(json.uploaded).toBe(false);
    expect(json.deployments.map((d) => d.id)).toEqual(first.deployments.map((d) => d.id));
    expect(await deploymentsOf(APP)).toHaveLength(1);
    expect(await gitopsHead()).toBe(first.gitops);
  });

  it('refuses changed content under a published id with exit 2 and changes nothing', async () => {
    const original = await repo.read('manifests/service.yaml');
    await repo.write('manifests/service.yaml', original.replace('protocol: TCP', 'protocol: UDP'));
    try {
      const result = await forge(['publish', '--app', APP]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('[conflict]');
      const version = await client.getVersion(APP, first.id);
      expect(version.sha256).toBe(first.sha256);
      expect(await deploymentsOf(APP)).toHaveLength(1);
      expect(await gitopsHead()).toBe(first.gitops);
    } finally {
      await writeFile(join(repo.path, 'manifests', 'service.yaml'), original);
    }
  });

  it('rejects invalid manifests locally with exit 1, naming file and line, and uploads nothing', async () => {
    const deployment = await repo.read('manifests/deployment.yaml');
    await repo.write('manifests/deployment.yaml', deployment.replace('replicas: 2', 'replicas: two'));
    const id = (await repo.commit('break the deployment')).slice(0, 7);
    const line = deployment.split('\n').findIndex((text) => text.includes('replicas: 2')) + 1;

    const local = await forge(['publish', '--app', APP]);
    expect(local.exitCode).toBe(1);
    expect(local.stderr).toContain(`manifests/deployment.yaml:${line}`);
    expect(local.stderr).toContain('[invalid_manifests]');
    expect(await versionState(id)).toBe('absent');

    // Without the local check, smithd refuses them itself on publish (422): exit 2, not published.
    const remote = await forge(['publish', '--app', APP, '--no-validate']);
    expect(remote.exitCode).toBe(2);
    expect(remote.stderr).toContain('[invalid_manifests]');
    expect(remote.stderr).toContain('deployment.yaml');
    expect(['absent', 'draft']).toContain(await versionState(id));
    expect(await deploymentsOf(APP)).toHaveLength(1);

    await repo.write('manifests/deployment.yaml', deployment);
    await repo.commit('fix the deployment');
  });

  it('fails with exit 3 when smithd cannot be reached', async () => {
    const port = await freePort();
    const result = await forge(['publish', '--app', APP, '--server', `http://127.0.0.1:${port}`]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/Cannot reach smithd/);
  });

  it('fails with exit 4 on a wrong API key, and names --api-key and SMITH_API_KEY when there is none', async () => {
    const wrong = await forge(['publish', '--app', APP], { SMITH_API_KEY: 'dsk_wrong' });
    expect(wrong.exitCode).toBe(4);
    expect(wrong.stderr).toContain('[unauthorized]');
    const missing = await forge(['publish', '--app', APP], { SMITH_API_KEY: '' });
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toMatch(/--api-key.*SMITH_API_KEY/);
  });

  it('recovers from an expired upload URL by drafting again for a fresh one', async () => {
    const id = await commitNewContent('expired-once');
    proxy.spoilDrafts(1);
    const result = await forge(['publish', '--app', APP, '--server', proxy.url]);
    expect(proxy.spoiled()).toBe(1);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/upload URL was refused.*drafting again/);
    expect(await versionState(id)).toBe('published');
  });

  it('fails with exit 2 and publishes nothing when every upload URL is refused', async () => {
    const id = await commitNewContent('expired-always');
    proxy.spoilDrafts(Number.POSITIVE_INFINITY);
    try {
      const deploysBefore = (await deploymentsOf(APP)).length;
      const result = await forge(['publish', '--app', APP, '--server', proxy.url]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('[upload_denied]');
      expect(['absent', 'draft']).toContain(await versionState(id));
      expect(await deploymentsOf(APP)).toHaveLength(deploysBefore);
    } finally {
      proxy.spoilDrafts(0);
    }
    // The same command, once the URLs are good again, completes the version.
    const retry = await forge(['publish', '--app', APP]);
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(await versionState(id)).toBe('published');
  });
});

describe('forge publish on GitHub Actions', () => {
  it('reads the build from the GitHub variables on a detached HEAD and writes the job summary', async () => {
    await commitNewContent('from-github');
    const sha = await repo.head();
    await gitIn(repo.path, ['checkout', '-q', '--detach']);
    await using dir = await tempDir('forge-gha-');
    const summary = join(dir.path, 'summary.md');
    await writeFile(summary, '');
    const github = {
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: sha,
      GITHUB_REF_TYPE: 'branch',
      GITHUB_REF_NAME: 'main',
      GITHUB_RUN_NUMBER: '42',
      GITHUB_RUN_ID: '7001',
      GITHUB_REPOSITORY: 'acme/hello-world',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_STEP_SUMMARY: summary,
    };
    try {
      const result = await forge(['publish', '--app', APP, '--json'], github);
      expect(result.exitCode, result.stderr).toBe(0);
      const id = `${sha.slice(0, 7)}-42`;
      const json = JSON.parse(result.stdout) as PublishJson;
      expect(json.version).toMatchObject({
        id,
        state: 'published',
        metadata: {
          gitSha: sha,
          branch: 'main',
          buildNumber: '42',
          pipelineUrl: 'https://github.com/acme/hello-world/actions/runs/7001',
          committer: 'Test',
        },
      });
      expect(json.deployments).toEqual([
        expect.objectContaining({ environment: 'staging', kind: 'auto-deploy', version: id }),
      ]);
      const markdown = await readFile(summary, 'utf8');
      expect(markdown).toContain(`### forge published ${APP} ${id}`);
      expect(markdown).toContain('[42](https://github.com/acme/hello-world/actions/runs/7001)');
      expect(markdown).toContain('- auto-deploy to **staging**: succeeded');

      const failed = await forge(['publish', '--app', APP, '--version', 'x-1'], {
        ...github,
        SMITH_API_KEY: 'dsk_wrong',
      });
      expect(failed.exitCode).toBe(4);
      expect(failed.stderr).toMatch(/^::error title=unauthorized::/m);
      expect(await readFile(summary, 'utf8')).toContain(`### forge publish of ${APP} failed`);
    } finally {
      await gitIn(repo.path, ['checkout', '-q', 'main']);
    }
  });
});

describe('forge publish and pinned environments', () => {
  it('shows the environments a publish skipped, e.g. one pinned by a rollback', async () => {
    await client.putPolicy(APP, 'production', { branch: 'main' });
    await commitNewContent('to-both');
    const both = await forge(['publish', '--app', APP]);
    expect(both.exitCode, both.stderr).toBe(0);
    expect(both.stdout).toMatch(/auto-deploy to production: succeeded/);
    // Rolling production back to the oldest version pins it there.
    const versions = (await client.listVersions(APP)).items.filter((v) => v.state === 'published');
    const oldest = versions[versions.length - 1];
    expect(oldest).toBeDefined();
    await client.deploy(APP, { version: oldest?.id ?? '', environment: 'production' });

    const id = await commitNewContent('after-rollback');
    const result = await forge(['publish', '--app', APP, '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as PublishJson;
    expect(json.version.id).toBe(id);
    expect(json.deployments.map((d) => d.environment)).toEqual(['staging']);
    expect(json.skipped).toEqual([expect.objectContaining({ environment: 'production' })]);
    const text = await forge(['publish', '--app', APP]);
    expect(text.stdout).toMatch(/^ {2}production skipped: pinned by /m);
  });
});
