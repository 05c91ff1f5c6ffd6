import { join } from 'node:path';
import {
  cloneRepo,
  gitIn,
  headOf,
  kustomizeBuild,
  listCommits,
  readFolder,
} from '@deploysmith/testkit/gitops';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initEmbeddedRepo } from './embedded-repo.ts';
import { AUTHOR } from './test-fixture.ts';

describe('initEmbeddedRepo', { timeout: 60_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    requireTool('git');
    requireTool('kubectl');
    dir = await tempDir('deploysmith-embedded-');
  }, 60_000);
  afterEach(() => dir.remove());

  it('creates a bare repo on main whose first commit lays out Flux for each environment, and each builds', async () => {
    const bare = join(dir.path, 'data', 'gitops.git');
    expect(await initEmbeddedRepo(bare, ['staging', 'production'], AUTHOR)).toBe(true);
    expect((await gitIn(bare, ['rev-parse', '--is-bare-repository'])).trim()).toBe('true');
    expect((await gitIn(bare, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
    const commits = await listCommits(bare);
    expect(commits).toHaveLength(1);
    expect((await gitIn(bare, ['log', '-1', '--format=%an <%ae>'])).trim()).toBe(
      `${AUTHOR.name} <${AUTHOR.email}>`,
    );

    const clone = await cloneRepo(bare, join(dir.path, 'clone'));
    const files = await readFolder(clone);
    expect(Object.keys(files)).toEqual([
      'README.md',
      'clusters/production/apps.yaml',
      'clusters/production/infrastructure.yaml',
      'clusters/staging/apps.yaml',
      'clusters/staging/infrastructure.yaml',
      'environments/production/apps/kustomization.yaml',
      'environments/production/infrastructure/kustomization.yaml',
      'environments/staging/apps/kustomization.yaml',
      'environments/staging/infrastructure/kustomization.yaml',
    ]);
    for (const env of ['staging', 'production']) {
      expect(await kustomizeBuild(join(clone, 'environments', env, 'apps'))).toEqual([]);
      expect(await kustomizeBuild(join(clone, 'environments', env, 'infrastructure'))).toEqual([]);
      const apps = parse(files[`clusters/${env}/apps.yaml`] ?? '');
      expect(apps).toMatchObject({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps', namespace: 'flux-system' },
        spec: {
          path: `./environments/${env}/apps`,
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          dependsOn: [{ name: 'infrastructure' }],
          prune: true,
        },
      });
      const infrastructure = parse(files[`clusters/${env}/infrastructure.yaml`] ?? '');
      expect(infrastructure.spec).toMatchObject({
        path: `./environments/${env}/infrastructure`,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      });
    }
  });

  it('leaves an existing repo alone', async () => {
    const bare = join(dir.path, 'gitops.git');
    await initEmbeddedRepo(bare, ['staging'], AUTHOR);
    const head = await headOf(bare);
    expect(await initEmbeddedRepo(bare, ['staging', 'production'], AUTHOR)).toBe(false);
    expect(await headOf(bare)).toBe(head);
  });

  it('refuses an environment name that is not a DNS label, creating nothing', async () => {
    const bare = join(dir.path, 'gitops.git');
    await expect(initEmbeddedRepo(bare, ['../etc'], AUTHOR)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(Object.keys(await readFolder(dir.path))).toEqual([]);
  });
});
