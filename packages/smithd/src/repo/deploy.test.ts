import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  cloneRepo,
  gitIn,
  headOf,
  kustomizeBuild,
  listCommits,
  objectIds,
  readFolder,
  sampleManifests,
} from '@deploysmith/testkit/gitops';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployOf, type RepoFixture, repoFixture, text } from './test-fixture.ts';

/** The working clone as git sees it: HEAD, and anything staged, changed or left behind. */
async function cloneState(workDir: string): Promise<{ head: string; status: string }> {
  return {
    head: (await gitIn(workDir, ['rev-parse', 'HEAD'])).trim(),
    status: await gitIn(workDir, ['status', '--porcelain', '--untracked-files=all', '--ignored']),
  };
}

describe('deploying into the GitOps repo', { timeout: 120_000 }, () => {
  let fixture: RepoFixture;
  beforeEach(async () => {
    fixture = await repoFixture();
  }, 60_000);
  afterEach(() => fixture.remove());

  it('writes exactly the version’s files, byte for byte, and kustomize builds its objects', async () => {
    const repo = fixture.repo();
    const files = [
      ...sampleManifests('hello', 'v1'),
      // Formatting, comments and a CRLF line end are kept as published.
      {
        path: 'config/configmap.yaml',
        content: text(
          '# keep me\r\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello}\ndata:\n  a: "1"\n',
        ),
      },
    ];
    const { commit } = await repo.apply(deployOf('hello', 'v1', { files }));
    expect(await headOf(fixture.remote)).toBe(commit);

    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'check'));
    const written = await readFolder(join(clone, 'environments/staging/apps/hello'));
    expect(Object.keys(written)).toEqual([
      'config/configmap.yaml',
      'deployment.yaml',
      'kustomization.yaml',
      'service.yaml',
    ]);
    for (const file of files) {
      expect(await readFile(join(clone, 'environments/staging/apps/hello', file.path))).toEqual(
        Buffer.from(file.content),
      );
    }
    expect(written['kustomization.yaml']).toContain(
      'resources:\n  - config/configmap.yaml\n  - deployment.yaml\n  - service.yaml\n',
    );
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/staging/apps')))).toEqual([
      'ConfigMap//hello',
      'Deployment//hello',
      'Service//hello',
    ]);
    // The other environment is untouched.
    expect(await kustomizeBuild(join(clone, 'environments/production/apps'))).toEqual([]);
    expect(await cloneState(join(fixture.dir.path, 'work-a'))).toEqual({ head: commit, status: '' });
    // What kustomize proved is remembered by the folder's tree id (computed before the commit existed).
    const folder = (
      await gitIn(fixture.remote, ['rev-parse', `${commit}:environments/staging/apps/hello`])
    ).trim();
    const verified = await readFile(
      join(fixture.dir.path, 'work-a', '.git', 'deploysmith-kustomize-verified'),
      'utf8',
    );
    expect(verified.split('\n')).toContain(folder);
  });

  it('removes the files of the previous version that the new one lacks', async () => {
    const repo = fixture.repo();
    const extra = {
      path: 'worker.yaml',
      content: text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: worker\n'),
    };
    await repo.apply(deployOf('hello', 'v1', { files: [...sampleManifests('hello', 'v1'), extra] }));
    const { plan } = await repo.apply(deployOf('hello', 'v2'));
    expect(plan.removed).toEqual(['environments/staging/apps/hello/worker.yaml']);
    expect(plan.changed).toEqual([
      'environments/staging/apps/hello/deployment.yaml',
      'environments/staging/apps/hello/kustomization.yaml',
    ]);
    expect(plan.added).toEqual([]);

    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'check'));
    expect(Object.keys(await readFolder(join(clone, 'environments/staging/apps/hello')))).toEqual([
      'deployment.yaml',
      'kustomization.yaml',
      'service.yaml',
    ]);
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/staging/apps')))).toEqual([
      'Deployment//hello',
      'Service//hello',
    ]);
  });

  it('plans without writing anything, and the plan’s diff is the diff of the commit the deploy then makes', async () => {
    const repo = fixture.repo();
    await repo.apply(deployOf('api', 'v1'));
    const workDir = join(fixture.dir.path, 'work-a');
    const remoteBefore = await headOf(fixture.remote);
    const cloneBefore = await cloneState(workDir);

    const deploy = deployOf('hello', 'v1');
    const plan = await repo.plan(deploy);
    expect(await headOf(fixture.remote)).toBe(remoteBefore);
    expect(await cloneState(workDir)).toEqual(cloneBefore);
    expect(plan.added).toEqual([
      'environments/staging/apps/hello/deployment.yaml',
      'environments/staging/apps/hello/kustomization.yaml',
      'environments/staging/apps/hello/service.yaml',
    ]);
    expect(plan.changed).toEqual(['environments/staging/apps/kustomization.yaml']);
    expect(plan.diff).toContain('+  - hello\n');

    const { commit, plan: applied } = await repo.apply(deploy);
    expect(applied).toEqual(plan);
    expect(plan.diff).toBe(await gitIn(fixture.remote, ['show', '--format=', commit]));
  });

  it('keeps the comments and formatting of the environment’s kustomization when it lists a new app', async () => {
    const repo = fixture.repo();
    await repo.apply(deployOf('api', 'v1'));
    // A person edits the list by hand in another clone.
    const human = await cloneRepo(fixture.remote, join(fixture.dir.path, 'human'));
    const path = join(human, 'environments/staging/apps/kustomization.yaml');
    const handWritten =
      '# Staging apps. Ask #platform before adding one by hand.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\nresources:\n  - api     # the public API\n  # zulu is being retired\n  - zulu.yaml\n';
    await writeFile(path, handWritten);
    // zulu is a file, not a folder: kustomize accepts both.
    await writeFile(
      join(human, 'environments/staging/apps/zulu.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: zulu\n',
    );
    await gitIn(human, ['add', '-A']);
    await gitIn(human, ['commit', '-q', '-m', 'hand edit']);
    await gitIn(human, ['push', '-q', 'origin', 'main']);

    await repo.apply(deployOf('hello', 'v1'));
    await gitIn(human, ['pull', '-q', '--ff-only']);
    expect(await readFile(path, 'utf8')).toBe(handWritten.replace('  # zulu', '  - hello\n  # zulu'));
    expect(objectIds(await kustomizeBuild(join(human, 'environments/staging/apps')))).toEqual([
      'ConfigMap//zulu',
      'Deployment//api',
      'Deployment//hello',
      'Service//api',
      'Service//hello',
    ]);
  });

  it('uses a kustomization.yaml the version ships as published', async () => {
    const repo = fixture.repo();
    const shipped =
      '# ours\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources:\n  - service.yaml\n';
    const files = [...sampleManifests('hello', 'v1'), { path: 'kustomization.yaml', content: text(shipped) }];
    await repo.apply(deployOf('hello', 'v1', { files }));
    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'check'));
    expect(await readFile(join(clone, 'environments/staging/apps/hello/kustomization.yaml'), 'utf8')).toBe(
      shipped,
    );
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/staging/apps')))).toEqual([
      'Service/web/hello',
    ]);
  });

  it('lays out a new environment: its apps kustomization and its Flux Kustomization', async () => {
    const repo = fixture.repo();
    const { plan } = await repo.apply(deployOf('hello', 'v1', { environment: 'qa' }));
    expect(plan.added).toEqual([
      'clusters/qa/apps.yaml',
      'environments/qa/apps/hello/deployment.yaml',
      'environments/qa/apps/hello/kustomization.yaml',
      'environments/qa/apps/hello/service.yaml',
      'environments/qa/apps/kustomization.yaml',
    ]);
    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'check'));
    const cluster = await readFile(join(clone, 'clusters/qa/apps.yaml'), 'utf8');
    expect(cluster).toContain('kind: Kustomization\n');
    expect(cluster).toContain('path: ./environments/qa/apps\n');
    expect(cluster).not.toContain('dependsOn');
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/qa/apps')))).toEqual([
      'Deployment//hello',
      'Service//hello',
    ]);
  });

  it('checks out and checks what the environment’s kustomization pulls in from outside its apps folder', async () => {
    const repo = fixture.repo();
    await repo.apply(deployOf('api', 'v1'));
    const human = await cloneRepo(fixture.remote, join(fixture.dir.path, 'human'));
    await mkdir(join(human, 'environments/staging/shared'));
    await writeFile(
      join(human, 'environments/staging/shared/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - quota.yaml\n',
    );
    await writeFile(
      join(human, 'environments/staging/shared/quota.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-quota\n',
    );
    const list = join(human, 'environments/staging/apps/kustomization.yaml');
    await writeFile(
      list,
      (await readFile(list, 'utf8')).replace('resources:\n', 'resources:\n  - ../shared\n'),
    );
    await gitIn(human, ['add', '-A']);
    await gitIn(human, ['commit', '-q', '-m', 'a shared folder for staging']);
    await gitIn(human, ['push', '-q', 'origin', 'main']);

    const colliding = [
      ...sampleManifests('hello', 'v1'),
      {
        path: 'quota.yaml',
        content: text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-quota\n'),
      },
    ];
    await expect(repo.apply(deployOf('hello', 'v1', { files: colliding }))).rejects.toMatchObject({
      code: 'object_collision',
      message: expect.stringContaining('environments/staging/shared/quota.yaml'),
    });
    await repo.apply(deployOf('hello', 'v1'));
    await gitIn(human, ['pull', '-q', '--ff-only']);
    expect(objectIds(await kustomizeBuild(join(human, 'environments/staging/apps')))).toEqual([
      'ConfigMap//team-quota',
      'Deployment//api',
      'Deployment//hello',
      'Service//api',
      'Service//hello',
    ]);
  });

  it('seeds an empty remote with the layout in a first commit, then deploys on top of it', async () => {
    const { createBareRepo } = await import('@deploysmith/testkit/gitops');
    const { createGitOpsRepo } = await import('./gitops-repo.ts');
    const remote = await createBareRepo(join(fixture.dir.path, 'empty.git'));
    const repo = createGitOpsRepo(
      { ...fixture.config, url: remote },
      { workDir: join(fixture.dir.path, 'work-empty'), kustomizeCheck: 'always', environments: ['staging'] },
    );
    await repo.open();
    await repo.apply(deployOf('hello', 'v1'));
    const commits = await listCommits(remote);
    expect(commits.map((c) => c.subject)).toEqual([
      'lay out the GitOps repo for Flux',
      'deploy hello v1 to staging (deploy, requested by alice)',
    ]);
    const clone = await cloneRepo(remote, join(fixture.dir.path, 'check'));
    expect(Object.keys(await readFolder(clone))).toContain('clusters/staging/infrastructure.yaml');
  });

  it('refuses a manifest path that would leave the app folder, and leaves the clone clean', async () => {
    const repo = fixture.repo();
    await repo.open();
    const workDir = join(fixture.dir.path, 'work-a');
    const before = await cloneState(workDir);
    for (const path of ['../escape.yaml', '/etc/passwd', 'a/../../b.yaml', '.git/config', '']) {
      await expect(
        repo.apply(deployOf('hello', 'v1', { files: [{ path, content: text('x: 1\n') }] })),
      ).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
    expect(await cloneState(workDir)).toEqual(before);
    expect(await headOf(fixture.remote)).toBe(before.head);
  });

  it('keeps one working clone: a second repo object on the same folder fetches instead of cloning', async () => {
    await fixture.repo().apply(deployOf('hello', 'v1'));
    await writeFile(join(fixture.dir.path, 'work-a', '.git', 'still-here'), '');
    const again = fixture.repo();
    const { commit } = await again.apply(deployOf('hello', 'v2'));
    expect(await headOf(fixture.remote)).toBe(commit);
    expect((await listCommits(fixture.remote)).length).toBe(3);
    expect(await readFile(join(fixture.dir.path, 'work-a', '.git', 'still-here'), 'utf8')).toBe('');
  });

  it('keeps the working clone to a few packs however many deploys it makes, every commit still readable', async () => {
    const repo = fixture.repo('a', { kustomizeCheck: 'never' });
    for (let turn = 0; turn < 56; turn++)
      await repo.apply(deployOf('hello', `v${turn % 2}`), { plan: false });
    const workDir = join(fixture.dir.path, 'work-a');
    const counts = Object.fromEntries(
      (await gitIn(workDir, ['count-objects', '-v']))
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string]),
    );
    // Each deploy's objects arrive as a pack of their own; every 50 deploys they are rolled up.
    expect(Number(counts.packs)).toBeLessThanOrEqual(10);
    expect(Number(counts.count)).toBeLessThanOrEqual(20);
    await gitIn(workDir, ['fsck', '--connectivity-only', '--no-dangling']);
    expect((await listCommits(fixture.remote)).length).toBe(57);
  });
});
