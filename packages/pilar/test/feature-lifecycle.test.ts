/**
 * Promote, roll back, list and create features with the built `pilar`, on a git clone of
 * examples/gitops-smud, against a real registry.
 */
import { EXIT } from '@deploysmith/core';
import { startRegistry, type TestRegistry } from '@deploysmith/testkit/registry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diffLines, type SmudFixture, smudFixture } from './smud-fixture.ts';

const DEV_VALUES = 'products/favn-feature-patientlist/development/values.yaml';
const PROD_VALUES = 'products/favn-feature-patientlist/production/values.yaml';

let registry: TestRegistry;
let repo: SmudFixture;
const digests: Record<string, string> = {};

beforeAll(async () => {
  registry = await startRegistry();
  digests['1.4.0'] = (await registry.pushIndex('favn-feature-patientlist', '1.4.0')).digest;
  digests['1.5.0'] = (await registry.pushImage('favn-feature-patientlist', '1.5.0')).digest;
  digests['1.3.0'] = (
    await registry.pushImage('favn-feature-patientlist', '1.3.0', { format: 'docker' })
  ).digest;
  digests.labresults = (await registry.pushIndex('favn-feature-labresults', '1.0.0')).digest;
});
afterAll(() => registry?.stop());
beforeEach(async () => {
  repo = await smudFixture();
});
afterEach(() => repo?.remove());

const image = (tag: string) => `${registry.host}/favn-feature-patientlist:${tag}`;
const pinned = (tag: string) => `${registry.host}/favn-feature-patientlist@${digests[tag]}`;
const imageLine = async (file: string) => /image: "(.*)"/.exec(await repo.read(file))?.[1];

async function bump(stage: string, tag: string, ...extra: string[]) {
  const result = await repo.pilar([
    'feature',
    'bump',
    'patientlist',
    '--stage',
    stage,
    '--image',
    image(tag),
    '--commit',
    ...extra,
  ]);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
}

describe('pilar feature promote', () => {
  it('copies image, dependency minimums and chart version from one stage to another in one commit', async () => {
    await bump('development', '1.5.0');
    const result = await repo.pilar([
      'feature',
      'promote',
      'patientlist',
      '--from',
      'development',
      '--to',
      'production',
      '--commit',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await imageLine(PROD_VALUES)).toBe(pinned('1.5.0'));
    expect(await repo.read(PROD_VALUES)).toContain('minVersion: "4.13.0"');
    expect(await repo.status()).toBe('');
    const subject = (await repo.git('log', '-1', '--format=%s')).trim();
    expect(subject).toBe(
      `favn-feature-patientlist: promote ${digests['1.5.0']?.slice(0, 19)} from development to production (was sha256:111111111111)`,
    );
    const { removed, added } = diffLines(await repo.git('show', '--format=', 'HEAD'));
    expect(removed.map((l) => l.trim())).toEqual([expect.stringMatching(/^image: /), 'minVersion: "4.12.0"']);
    expect(added.map((l) => l.trim())).toEqual([`image: "${pinned('1.5.0')}"`, 'minVersion: "4.13.0"']);
  });

  it('refuses to promote a mutable tag into production, changing nothing', async () => {
    const dev = await repo.read(DEV_VALUES);
    await repo.write(DEV_VALUES, dev.replace(/image: ".*"/, `image: "${image('1.5.0')}"`));
    await repo.git('commit', '-qam', 'dev runs a tag');
    const result = await repo.pilar([
      'feature',
      'promote',
      'patientlist',
      '--from',
      'development',
      '--to',
      'production',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('production needs a digest');
    expect(result.stderr).toContain(
      `pilar feature bump favn-feature-patientlist --stage development --image ${image('1.5.0')}`,
    );
    expect(await repo.status()).toBe('');
  });
});

describe('pilar feature rollback', () => {
  it('goes back to the digest before the current one, read from git history', async () => {
    await bump('production', '1.4.0');
    await bump('production', '1.5.0');
    const result = await repo.pilar([
      'feature',
      'rollback',
      'patientlist',
      '--stage',
      'production',
      '--commit',
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      command: 'feature rollback',
      from: pinned('1.5.0'),
      to: pinned('1.4.0'),
      commit: expect.any(String),
    });
    expect(await imageLine(PROD_VALUES)).toBe(pinned('1.4.0'));
    expect((await repo.git('log', '-1', '--format=%s')).trim()).toBe(
      `favn-feature-patientlist (production): roll back image ${digests['1.5.0']?.slice(0, 19)} -> ${digests['1.4.0']?.slice(0, 19)}`,
    );
    const { removed, added } = diffLines(await repo.git('show', '--format=', 'HEAD'));
    expect(removed).toHaveLength(1);
    expect(added).toEqual([`  image: "${pinned('1.4.0')}"`]);
  });

  it('writes the previous digest without asking the registry with --no-verify', async () => {
    await bump('production', '1.5.0');
    const result = await repo.pilar([
      'feature',
      'rollback',
      'patientlist',
      '--stage',
      'production',
      '--no-verify',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    // The example's first digest lives in a registry this test cannot reach.
    expect(await imageLine(PROD_VALUES)).toBe(
      `registry.dips.no/favn-feature-patientlist@sha256:${'1'.repeat(64)}`,
    );
  });

  it('goes to the digest given with --to, checking that the registry has it', async () => {
    await bump('production', '1.5.0');
    const result = await repo.pilar([
      'feature',
      'rollback',
      'patientlist',
      '--stage',
      'production',
      '--to',
      digests['1.3.0'] ?? '',
    ]);
    expect(result.exitCode).toBe(0);
    expect(await imageLine(PROD_VALUES)).toBe(pinned('1.3.0'));
  });

  it('refuses a digest the registry does not have, changing nothing', async () => {
    await bump('production', '1.5.0');
    const missing = `sha256:${'9'.repeat(64)}`;
    const result = await repo.pilar([
      'feature',
      'rollback',
      'patientlist',
      '--stage',
      'production',
      '--to',
      missing,
    ]);
    expect(result.exitCode).toBe(EXIT.rejected);
    expect(result.stderr).toContain(`${registry.host}/favn-feature-patientlist@${missing}`);
    expect(await repo.status()).toBe('');
  });

  it('says when history holds no earlier image', async () => {
    const result = await repo.pilar(['feature', 'rollback', 'appointments', '--stage', 'production']);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('has no image before the current one');
    expect(result.stderr).toContain('--to sha256:');
  });
});

describe('pilar feature list', () => {
  it('shows every feature and the short digest each stage runs', async () => {
    await bump('development', '1.5.0');
    const result = await repo.pilar(['feature', 'list']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'FEATURE       DEVELOPMENT          PRODUCTION',
      'appointments  sha256:444444444444  sha256:333333333333',
      `patientlist   ${digests['1.5.0']?.slice(0, 19)}  sha256:111111111111`,
    ]);
  });

  it('filters by stage and prints JSON', async () => {
    const result = await repo.pilar(['feature', 'list', '--stage', 'production', '--json']);
    const list = JSON.parse(result.stdout);
    expect(list.stages).toEqual(['production']);
    expect(list.features.map((f: { feature: string }) => f.feature)).toEqual(['appointments', 'patientlist']);
    expect(list.features[1].stages.production).toEqual({
      image: `registry.dips.no/favn-feature-patientlist@sha256:${'1'.repeat(64)}`,
      digest: `sha256:${'1'.repeat(64)}`,
      tag: null,
      short: 'sha256:111111111111',
    });
  });
});

describe('pilar feature init', () => {
  it('scaffolds product.yaml, app.yaml and values.yaml per stage and adds the product to its group', async () => {
    const groupsBefore = await repo.read('environments/productGroups.yaml');
    const result = await repo.pilar([
      'feature',
      'init',
      'labresults',
      '--team',
      'team-labresults',
      '--group',
      'labresults-domain',
      '--image',
      `${registry.host}/favn-feature-labresults:1.0.0`,
      '--requires',
      'labresults-service@2.1.0',
      '--requires',
      'favn-host',
      '--commit',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await repo.read('products/favn-feature-labresults/product.yaml')).toBe(
      'productName: favn-feature-labresults\nresponsible: team-labresults\nchartName: favn-feature-register\n',
    );
    for (const stage of ['development', 'production']) {
      expect(await repo.read(`products/favn-feature-labresults/${stage}/app.yaml`)).toBe(
        'helm:\n  chartVersion: 1.0.0\nuseGoTemplate: true\n',
      );
      expect(await repo.read(`products/favn-feature-labresults/${stage}/values.yaml`)).toBe(
        [
          'valuesFile:',
          '  enabled: true',
          '  featureId: feature-labresults',
          `  image: "${registry.host}/favn-feature-labresults@${digests.labresults}"`,
          '  dependencyManager:',
          '    enabled: true',
          '    dependencies:',
          '      - name: labresults-service',
          '        minVersion: "2.1.0"',
          '      - name: favn-host',
          '',
        ].join('\n'),
      );
    }
    expect(await repo.read('environments/productGroups.yaml')).toBe(
      `${groupsBefore}\nlabresults-domain:\n  - favn-feature-labresults\n`,
    );
    const files = (await repo.git('show', '--name-only', '--format=', 'HEAD')).trim().split('\n');
    expect(files).toHaveLength(6);
    expect(await repo.status()).toBe('');

    // The new feature is immediately a normal one.
    const list = JSON.parse((await repo.pilar(['feature', 'list', '--json'])).stdout);
    expect(list.features.map((f: { product: string }) => f.product)).toContain('favn-feature-labresults');
    const doctor = JSON.parse((await repo.pilar(['doctor', '--json'])).stdout);
    expect(doctor.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        check: 'unused-group',
        message: 'group labresults-domain is used by no environment',
      }),
    ]);
  });

  it('refuses a product that exists, changing nothing', async () => {
    const result = await repo.pilar([
      'feature',
      'init',
      'patientlist',
      '--team',
      't',
      '--group',
      'patientlist-domain',
      '--image',
      image('1.4.0'),
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('products/favn-feature-patientlist/ already exists');
    expect(await repo.status()).toBe('');
  });

  it('writes nothing when the image cannot be resolved', async () => {
    const result = await repo.pilar([
      'feature',
      'init',
      'labresults',
      '--team',
      't',
      '--group',
      'g',
      '--image',
      `${registry.host}/favn-feature-labresults:9.9.9`,
    ]);
    expect(result.exitCode).toBe(EXIT.rejected);
    expect(await repo.status()).toBe('');
  });
});
