/**
 * `pilar feature bump` (the built CLI) on a git clone of examples/gitops-smud, resolving against a
 * real registry: what it writes, what it leaves alone, how it commits, and how it fails.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '@deploysmith/core';
import { freePort } from '@deploysmith/testkit/ports';
import { startRegistry, type TestRegistry } from '@deploysmith/testkit/registry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diffLines, type SmudFixture, smudFixture } from './smud-fixture.ts';

const DEV_VALUES = 'products/favn-feature-patientlist/development/values.yaml';
const PROD_VALUES = 'products/favn-feature-patientlist/production/values.yaml';
const PROD_BACKEND = 'products/patientlistservice/production/app.yaml';

let registry: TestRegistry;
let repo: SmudFixture;
let indexDigest: string;
let singleDigest: string;

beforeAll(async () => {
  registry = await startRegistry();
  indexDigest = (await registry.pushIndex('favn-feature-patientlist', '1.4.0')).digest;
  singleDigest = (await registry.pushImage('favn-feature-patientlist', '1.5.0')).digest;
});
afterAll(() => registry?.stop());
beforeEach(async () => {
  repo = await smudFixture();
});
afterEach(() => repo?.remove());

const image = (tag: string) => `${registry.host}/favn-feature-patientlist:${tag}`;

describe('pilar feature bump', () => {
  it('pins the digest of a multi-platform index in one stage, changing only the image line', async () => {
    const before = await repo.read(DEV_VALUES);
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.4.0'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);

    expect(indexDigest).toBe(await registry.reportedDigest('favn-feature-patientlist', '1.4.0'));
    const pinned = `${registry.host}/favn-feature-patientlist@${indexDigest}`;
    expect(await repo.read(DEV_VALUES)).toBe(before.replace(/image: ".*"/, `image: "${pinned}"`));
    expect(await repo.status()).toBe(`M ${DEV_VALUES}`);
    const { removed, added } = diffLines(await repo.git('diff'));
    expect(removed).toEqual([
      expect.stringMatching(/^ {2}image: "registry\.dips\.no\/favn-feature-patientlist@sha256:2{64}"$/),
    ]);
    expect(added).toEqual([`  image: "${pinned}"`]);
    expect(result.stdout).toContain(`${DEV_VALUES}  valuesFile.image:`);
    expect(result.stdout).toContain('not committed');
  });

  it('prints the diff with --dry-run and writes nothing', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'production',
      '--image',
      image('1.5.0'),
      '--dry-run',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`--- a/${PROD_VALUES}`);
    const { removed, added } = diffLines(result.stdout);
    expect(removed).toHaveLength(1);
    expect(added).toEqual([`  image: "${registry.host}/favn-feature-patientlist@${singleDigest}"`]);
    expect(result.stderr).toContain('nothing was written');
    expect(await repo.status()).toBe('');
  });

  it('prints one JSON document with --json', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'favn-feature-patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      command: 'feature bump',
      product: 'favn-feature-patientlist',
      stage: 'development',
      from: `registry.dips.no/favn-feature-patientlist@sha256:${'2'.repeat(64)}`,
      to: `${registry.host}/favn-feature-patientlist@${singleDigest}`,
      digest: singleDigest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      changed: true,
      dryRun: false,
      files: [DEV_VALUES],
    });
  });

  it('bumps image, dependency minimum and backend chart in one commit naming feature, stage and both digests', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'favn-feature-patientlist',
      '--stage',
      'production',
      '--image',
      image('1.4.0'),
      '--requires',
      'patientlistservice@4.13.0',
      '--chart',
      'patientlistservice@4.13.0',
      '--commit',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await repo.status()).toBe('');
    const files = (await repo.git('show', '--name-only', '--format=', 'HEAD')).trim().split('\n');
    expect(files).toEqual([PROD_VALUES, PROD_BACKEND]);
    const message = await repo.git('log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe(
      `favn-feature-patientlist (production): image sha256:111111111111 -> ${indexDigest.slice(0, 19)}`,
    );
    expect(message).toContain(
      `valuesFile.image: registry.dips.no/favn-feature-patientlist@sha256:${'1'.repeat(64)} -> ${registry.host}/favn-feature-patientlist@${indexDigest}`,
    );
    expect(message).toContain('dependencies[patientlistservice].minVersion: 4.12.0 -> 4.13.0');
    expect(message).toContain('helm.chartVersion: 4.12.1 -> 4.13.0');

    const { removed, added } = diffLines(await repo.git('show', '--format=', 'HEAD'));
    expect(removed.map((l) => l.trim())).toEqual([
      expect.stringMatching(/^image: /),
      'minVersion: "4.12.0"',
      'chartVersion: 4.12.1',
    ]);
    expect(added.map((l) => l.trim())).toEqual([
      expect.stringMatching(/^image: /),
      'minVersion: "4.13.0"',
      'chartVersion: 4.13.0',
    ]);
  });

  it('commits on a new branch with --branch, ready for a pull request', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--branch',
      'release/patientlist-1.5.0',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('on new branch release/patientlist-1.5.0');
    expect((await repo.git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('release/patientlist-1.5.0');
    expect((await repo.git('log', '--format=%s', 'main..HEAD')).trim().split('\n')).toHaveLength(1);
    expect(await repo.status()).toBe('');
  });

  it('refuses a branch that exists, and changes nothing', async () => {
    await repo.git('branch', 'taken');
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--branch',
      'taken',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('Branch "taken" already exists');
    expect(await repo.status()).toBe('');
    expect((await repo.git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
  });

  it('refuses to commit a file that has uncommitted changes', async () => {
    const edited = `${await repo.read(DEV_VALUES)}# local note\n`;
    await repo.write(DEV_VALUES, edited);
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--commit',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('uncommitted changes');
    expect(await repo.read(DEV_VALUES)).toBe(edited);
  });

  it('commits as pilar in a clone without a git identity, as CI bots have', async () => {
    await repo.git('config', '--unset', 'user.name');
    await repo.git('config', '--unset', 'user.email');
    const home = join(repo.dir, '..', 'home');
    await mkdir(home);
    const result = await repo.pilar(
      ['feature', 'bump', 'patientlist', '--stage', 'development', '--image', image('1.5.0'), '--commit'],
      {
        env: { HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect((await repo.git('log', '-1', '--format=%an <%ae>')).trim()).toBe('pilar <pilar@localhost>');
    expect(await repo.status()).toBe('');
  });

  it('refuses --commit outside a git repository, changing nothing', async () => {
    await rm(join(repo.dir, '.git'), { recursive: true });
    const before = await repo.read(DEV_VALUES);
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--commit',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('is not a git repository');
    expect(await repo.read(DEV_VALUES)).toBe(before);
  });

  it('says there is nothing to change when the digest is already pinned', async () => {
    await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--commit',
    ]);
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.5.0'),
      '--commit',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Nothing to change');
    expect((await repo.git('log', '--format=%s')).trim().split('\n')).toHaveLength(2);
  });
});

describe('pilar feature bump failures leave every file as it was', () => {
  it('names an unknown feature and how to create it (exit 1)', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'labresults',
      '--stage',
      'development',
      '--image',
      image('1.4.0'),
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('No feature product "labresults"');
    expect(result.stderr).toContain('pilar feature init labresults');
    expect(await repo.status()).toBe('');
  });

  it('names a missing stage and lists the stages there are (exit 1)', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'staging',
      '--image',
      image('1.4.0'),
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('favn-feature-patientlist has no stage "staging"');
    expect(result.stderr).toContain('development, production');
  });

  it('names file and line of invalid YAML', async () => {
    const broken = 'valuesFile:\n  enabled: true\n  image: "unterminated\n';
    await repo.write(DEV_VALUES, broken);
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.4.0'),
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain(`${DEV_VALUES} is not valid YAML`);
    expect(result.stderr).toMatch(new RegExp(`${DEV_VALUES}:\\d+: `));
    expect(await repo.read(DEV_VALUES)).toBe(broken);
  });

  it('reports a tag the registry does not have (exit 2)', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('0.0.1'),
    ]);
    expect(result.exitCode).toBe(EXIT.rejected);
    expect(result.stderr).toContain(`Image ${image('0.0.1')} not found`);
    expect(await repo.status()).toBe('');
  });

  it('reports a registry that cannot be reached (exit 3)', async () => {
    const port = await freePort();
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      `127.0.0.1:${port}/favn-feature-patientlist:1.0.0`,
    ]);
    expect(result.exitCode).toBe(EXIT.unreachable);
    expect(result.stderr).toContain(`Cannot reach registry 127.0.0.1:${port}`);
    expect(await repo.status()).toBe('');
  });

  it('reports a registry that wants credentials (exit 4)', async () => {
    const locked = await startRegistry({ auth: { username: 'bot', password: 'pw' } });
    try {
      await locked.pushImage('favn-feature-patientlist', '2.0.0');
      const result = await repo.pilar([
        'feature',
        'bump',
        'patientlist',
        '--stage',
        'development',
        '--image',
        `${locked.host}/favn-feature-patientlist:2.0.0`,
        '--commit',
      ]);
      expect(result.exitCode).toBe(EXIT.unauthorized);
      expect(result.stderr).toContain(`docker login ${locked.host}`);
      expect(await repo.status()).toBe('');
      expect((await repo.git('log', '--format=%s')).trim().split('\n')).toHaveLength(1);

      const withCredentials = await repo.pilar(
        [
          'feature',
          'bump',
          'patientlist',
          '--stage',
          'development',
          '--image',
          `${locked.host}/favn-feature-patientlist:2.0.0`,
          '--registry-username',
          'bot',
          '--registry-password-stdin',
        ],
        { input: 'pw' },
      );
      expect(withCredentials.exitCode).toBe(0);
      expect(await repo.read(DEV_VALUES)).toContain(
        `${locked.host}/favn-feature-patientlist@${await locked.reportedDigest('favn-feature-patientlist', '2.0.0')}`,
      );
    } finally {
      await locked.stop();
    }
  });

  it('rejects a malformed --requires before touching the registry', async () => {
    const result = await repo.pilar([
      'feature',
      'bump',
      'patientlist',
      '--stage',
      'development',
      '--image',
      image('1.4.0'),
      '--requires',
      'Bad Name@1',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('"Bad Name" is not a valid dependency name');
    expect(await repo.status()).toBe('');
  });
});
