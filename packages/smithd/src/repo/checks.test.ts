import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import {
  cloneRepo,
  gitIn,
  headOf,
  kustomizeBuild,
  objectIds,
  sampleManifests,
} from '@deploysmith/testkit/gitops';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployOf, type RepoFixture, repoFixture, text } from './test-fixture.ts';
import type { GitOpsRepo } from './types.ts';

const configMap = (name: string, namespace?: string) =>
  text(
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  a: "1"\n`,
  );

async function rejection(promise: Promise<unknown>): Promise<DeploySmithError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeploySmithError) return error;
    throw error;
  }
  throw new Error('expected the deploy to be refused');
}

describe('checks before a deploy is committed', { timeout: 120_000 }, () => {
  let fixture: RepoFixture;
  let repo: GitOpsRepo;
  let workDir: string;
  let head: string | undefined;

  beforeAll(async () => {
    fixture = await repoFixture();
    repo = fixture.repo();
    workDir = join(fixture.dir.path, 'work-a');
    await repo.apply(
      deployOf('api', 'v1', {
        files: [...sampleManifests('api', 'v1'), { path: 'shared.yaml', content: configMap('shared') }],
      }),
    );
    head = await headOf(fixture.remote);
  }, 60_000);
  afterAll(() => fixture.remove());

  /** Nothing was committed or pushed, the clone is clean, and the environment still builds. */
  async function expectUntouched(): Promise<void> {
    expect(await headOf(fixture.remote)).toBe(head);
    expect(await gitIn(workDir, ['status', '--porcelain', '--untracked-files=all', '--ignored'])).toBe('');
    expect((await gitIn(workDir, ['rev-parse', 'HEAD'])).trim()).toBe(head);
    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, `check-${Date.now()}`));
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/staging/apps')))).toEqual([
      'ConfigMap//shared',
      'Deployment//api',
      'Service//api',
    ]);
  }

  it('refuses an object another app of the environment already declares, naming both files and the object', async () => {
    const files = [...sampleManifests('hello', 'v1'), { path: 'config.yaml', content: configMap('shared') }];
    for (const attempt of [
      repo.plan(deployOf('hello', 'v1', { files })),
      repo.apply(deployOf('hello', 'v1', { files })),
    ]) {
      const error = await rejection(attempt);
      expect(error.code).toBe('object_collision');
      expect(error.status).toBe(409);
      expect(error.message).toContain('ConfigMap "default/shared"');
      expect(error.message).toContain('environments/staging/apps/hello/config.yaml');
      expect(error.message).toContain('environments/staging/apps/api/shared.yaml');
      expect(error.details.map((detail) => detail.file)).toEqual([
        'environments/staging/apps/hello/config.yaml',
        'environments/staging/apps/api/shared.yaml',
      ]);
    }
    await expectUntouched();
  });

  it('treats a missing namespace as "default" and sees the same name in another namespace as another object', async () => {
    const same = [
      ...sampleManifests('hello', 'v1'),
      { path: 'config.yaml', content: configMap('shared', 'default') },
    ];
    expect((await rejection(repo.plan(deployOf('hello', 'v1', { files: same })))).code).toBe(
      'object_collision',
    );
    const other = [
      ...sampleManifests('hello', 'v1'),
      { path: 'config.yaml', content: configMap('shared', 'team-b') },
    ];
    const plan = await repo.plan(deployOf('hello', 'v1', { files: other }));
    expect(plan.added).toContain('environments/staging/apps/hello/config.yaml');
    await expectUntouched();
  });

  it('refuses a version that declares one object twice, naming both files', async () => {
    const files = [
      ...sampleManifests('hello', 'v1'),
      { path: 'again.yaml', content: sampleManifests('hello', 'v1')[1]?.content ?? text('') },
    ];
    const error = await rejection(repo.apply(deployOf('hello', 'v1', { files })));
    expect(error.code).toBe('object_collision');
    expect(error.message).toContain('Service "default/hello"');
    expect(error.message).toContain('environments/staging/apps/hello/again.yaml');
    expect(error.message).toContain('environments/staging/apps/hello/service.yaml');
    await expectUntouched();
  });

  it('refuses a kustomization that lists a resource that does not exist, naming it', async () => {
    const kustomization =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - missing.yaml\n';
    const files = [
      ...sampleManifests('hello', 'v1'),
      { path: 'kustomization.yaml', content: text(kustomization) },
    ];
    const error = await rejection(repo.apply(deployOf('hello', 'v1', { files })));
    expect(error.code).toBe('tree_does_not_build');
    expect(error.status).toBe(422);
    expect(error.message).toContain(
      'environments/staging/apps/hello/kustomization.yaml lists "missing.yaml", which does not exist',
    );
    await expectUntouched();
  });

  it('refuses what only kustomize sees (a patch of a file that is not there), with kustomize’s message', async () => {
    const kustomization =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\npatches:\n  - path: no-such-patch.yaml\n';
    const files = [
      ...sampleManifests('hello', 'v1'),
      { path: 'kustomization.yaml', content: text(kustomization) },
    ];
    const error = await rejection(repo.apply(deployOf('hello', 'v1', { files })));
    expect(error.code).toBe('tree_does_not_build');
    expect(error.message).toMatch(/^kubectl kustomize environments\/staging\/apps\/hello failed: /);
    expect(error.message).toContain('no-such-patch.yaml');
    await expectUntouched();
  });

  it('skips kustomize when the check is "never", still running the in-process checks', async () => {
    const never = fixture.repo('never', { kustomizeCheck: 'never' });
    const kustomization =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\npatches:\n  - path: no-such-patch.yaml\n';
    const files = [
      ...sampleManifests('hello', 'v1'),
      { path: 'kustomization.yaml', content: text(kustomization) },
    ];
    const plan = await never.plan(deployOf('hello', 'v1', { files }));
    expect(plan.added).toContain('environments/staging/apps/hello/kustomization.yaml');
    const colliding = [
      ...sampleManifests('hello', 'v1'),
      { path: 'config.yaml', content: configMap('shared') },
    ];
    expect((await rejection(never.plan(deployOf('hello', 'v1', { files: colliding })))).code).toBe(
      'object_collision',
    );
    await expectUntouched();
  });

  it('needs kubectl or kustomize when the check is "always", and does without when it is "auto"', async () => {
    // A PATH with git and nothing else.
    const bin = join(fixture.dir.path, 'git-only');
    await mkdir(bin);
    await symlink(requireTool('git'), join(bin, 'git'));
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      const always = fixture.repo('no-kubectl', { kustomizeCheck: 'always' });
      const error = await rejection(always.open());
      expect(error.code).toBe('internal');
      expect(error.message).toContain('neither kubectl nor kustomize is on the PATH');
      const auto = fixture.repo('no-kubectl', { kustomizeCheck: 'auto' });
      const kustomization =
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\npatches:\n  - path: no-such-patch.yaml\n';
      const files = [
        ...sampleManifests('hello', 'v1'),
        { path: 'kustomization.yaml', content: text(kustomization) },
      ];
      expect((await auto.plan(deployOf('hello', 'v1', { files }))).added).toContain(
        'environments/staging/apps/hello/kustomization.yaml',
      );
      const colliding = [
        ...sampleManifests('hello', 'v1'),
        { path: 'config.yaml', content: configMap('shared') },
      ];
      expect((await rejection(auto.plan(deployOf('hello', 'v1', { files: colliding })))).code).toBe(
        'object_collision',
      );
    } finally {
      process.env.PATH = path;
    }
    await expectUntouched();
  });

  it('refuses a file that is not YAML of Kubernetes objects, naming the file', async () => {
    const files = [
      ...sampleManifests('hello', 'v1'),
      { path: 'broken.yaml', content: text('kind: ConfigMap\nmetadata: {}\n') },
    ];
    const error = await rejection(repo.apply(deployOf('hello', 'v1', { files })));
    expect(error.code).toBe('tree_does_not_build');
    expect(error.message).toContain('environments/staging/apps/hello/broken.yaml');
    await expectUntouched();
  });

  it('deploys the same app again over its own objects without calling them a collision', async () => {
    const { plan } = await repo.apply(
      deployOf('api', 'v2', {
        files: [...sampleManifests('api', 'v2'), { path: 'shared.yaml', content: configMap('shared') }],
      }),
    );
    expect(plan.changed).toEqual(['environments/staging/apps/api/deployment.yaml']);
    head = await headOf(fixture.remote);
    await expectUntouched();
  });

  it('builds an app folder ahead of its deploy once: the deploy does not build it again, and still refuses one that does not build', async () => {
    // A kubectl that notes each run, found by the repo when it opens.
    const bin = join(fixture.dir.path, 'counting-kubectl');
    const runs = join(fixture.dir.path, 'kubectl-runs');
    await mkdir(bin);
    await writeFile(
      join(bin, 'kubectl'),
      `#!/bin/sh\necho "$*" >> '${runs}'\nexec '${requireTool('kubectl')}' "$@"\n`,
      { mode: 0o755 },
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    const ahead = fixture.repo('ahead');
    try {
      await ahead.open();
    } finally {
      process.env.PATH = path;
    }
    const builds = async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter(Boolean);

    const files = [
      ...sampleManifests('hello', 'v3'),
      { path: 'extra.yaml', content: configMap('hello-extra') },
    ];
    await ahead.verifyAhead('hello', files);
    expect(await builds()).toEqual(['kustomize hello']);
    await ahead.apply(deployOf('hello', 'v3', { files }));
    // The other app's folder is new to this clone; the deployed one was proven ahead.
    expect(await builds()).toEqual(['kustomize hello', 'kustomize environments/staging/apps/api']);
    head = await headOf(fixture.remote);

    const kustomization =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\npatches:\n  - path: no-such-patch.yaml\n';
    const broken = [
      ...sampleManifests('hello', 'v4'),
      { path: 'kustomization.yaml', content: text(kustomization) },
    ];
    await ahead.verifyAhead('hello', broken);
    const error = await rejection(ahead.apply(deployOf('hello', 'v4', { files: broken })));
    expect(error.code).toBe('tree_does_not_build');
    expect(error.message).toMatch(/^kubectl kustomize environments\/staging\/apps\/hello failed: /);
    expect(await builds()).toEqual([
      'kustomize hello',
      'kustomize environments/staging/apps/api',
      'kustomize hello',
      'kustomize environments/staging/apps/hello',
    ]);
    // Refused: nothing pushed, the clone clean.
    expect(await headOf(fixture.remote)).toBe(head);
    const clone = join(fixture.dir.path, 'work-ahead');
    expect(await gitIn(clone, ['status', '--porcelain', '--untracked-files=all', '--ignored'])).toBe('');
    await rm(runs, { force: true });
  });

  it('renames the other apps’ objects as the environment does (namePrefix) when it checks for collisions', async () => {
    const env = { environment: 'production' };
    const shared = [...sampleManifests('api', 'v1'), { path: 'shared.yaml', content: configMap('shared') }];
    await repo.apply(deployOf('api', 'v1', { ...env, files: shared }));
    // Someone gives the environment a name prefix; the api folder, read and cached above, is unchanged.
    const human = await cloneRepo(fixture.remote, join(fixture.dir.path, 'human-prefix'));
    const listing = join(human, 'environments/production/apps/kustomization.yaml');
    await writeFile(listing, `${await readFile(listing, 'utf8')}namePrefix: team-\n`);
    await gitIn(human, ['commit', '-qam', 'prefix production']);
    await gitIn(human, ['push', '-q', 'origin', 'main']);

    // Both become team-shared: the same object.
    const same = [...sampleManifests('hello', 'v1'), { path: 'config.yaml', content: configMap('shared') }];
    const error = await rejection(repo.plan(deployOf('hello', 'v1', { ...env, files: same })));
    expect(error.code).toBe('object_collision');
    expect(error.message).toContain('ConfigMap "default/team-shared"');
    expect(error.message).toContain('environments/production/apps/api/shared.yaml');
    // team-team-shared and team-shared: two objects.
    const other = [
      ...sampleManifests('hello', 'v1'),
      { path: 'config.yaml', content: configMap('team-shared') },
    ];
    const plan = await repo.plan(deployOf('hello', 'v1', { ...env, files: other }));
    expect(plan.added).toContain('environments/production/apps/hello/config.yaml');
  });
});
