/**
 * The commands that need no registry: product bump, group add|rm, doctor, and --help everywhere,
 * with the built `pilar` on a git clone of examples/gitops-smud.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '@deploysmith/core';
import { runCli } from '@deploysmith/testkit/bin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffLines, type SmudFixture, smudFixture } from './smud-fixture.ts';

const GROUPS = 'environments/productGroups.yaml';
let repo: SmudFixture;

beforeEach(async () => {
  repo = await smudFixture();
});
afterEach(() => repo?.remove());

describe('pilar product bump', () => {
  it("changes only a backend's chart version line, and commits it", async () => {
    const result = await repo.pilar([
      'product',
      'bump',
      'patientlistservice',
      '--stage',
      'production',
      '--chart-version',
      '4.13.0',
      '--commit',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const { removed, added } = diffLines(await repo.git('show', '--format=', 'HEAD'));
    expect(removed).toEqual(['  chartVersion: 4.12.1']);
    expect(added).toEqual(['  chartVersion: 4.13.0']);
    expect((await repo.git('log', '-1', '--format=%s')).trim()).toBe(
      'patientlistservice (production): chart 4.12.1 -> 4.13.0',
    );
  });

  it('names a product that does not exist', async () => {
    const result = await repo.pilar([
      'product',
      'bump',
      'nosuchservice',
      '--stage',
      'production',
      '--chart-version',
      '1.0.0',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('No product "nosuchservice"');
  });

  it('rejects a chart version that is not a version', async () => {
    const result = await repo.pilar([
      'product',
      'bump',
      'patientlistservice',
      '--stage',
      'production',
      '--chart-version',
      'four point thirteen',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(await repo.status()).toBe('');
  });
});

describe('pilar group add and rm', () => {
  it('adds a product as one new line at the end of its group', async () => {
    const result = await repo.pilar(['group', 'add', 'appointments-domain', 'favn-host', '--dry-run']);
    // favn-host already belongs to favn-runtime: refused.
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('favn-host is already in group favn-runtime');

    await repo.pilar(['group', 'rm', 'appointments-domain', 'favn-feature-appointments', '--commit']);
    const add = await repo.pilar([
      'group',
      'add',
      'patientlist-domain',
      'favn-feature-appointments',
      '--commit',
    ]);
    expect(add.exitCode).toBe(0);
    const { removed, added } = diffLines(await repo.git('show', '--format=', 'HEAD'));
    expect(removed).toEqual([]);
    expect(added).toEqual(['  - favn-feature-appointments']);
    expect(await repo.read(GROUPS)).toContain(
      '  - favn-feature-patientlist        # feature registration product\n  - favn-feature-appointments\n',
    );
  });

  it('removes exactly the product line', async () => {
    const result = await repo.pilar(['group', 'rm', 'patientlist-domain', 'patientlistservice']);
    expect(result.exitCode).toBe(0);
    const { removed, added } = diffLines(await repo.git('diff'));
    expect(removed).toEqual(['  - patientlistservice              # backend service']);
    expect(added).toEqual([]);
  });

  it('says which products a group has when asked to remove another', async () => {
    const result = await repo.pilar(['group', 'rm', 'favn-runtime', 'patientlistservice']);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('patientlistservice is not in group favn-runtime');
    expect(result.stderr).toContain('Members of favn-runtime: favn-host');
  });
});

describe('pilar doctor', () => {
  it('finds nothing wrong in the example repository', async () => {
    const result = await repo.pilar(['doctor']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('No problems found.');
  });

  it('finds what the SMUD seed warns about, and exits 1', async () => {
    const prod = 'products/favn-feature-appointments/production/values.yaml';
    await repo.write(
      prod,
      (await repo.read(prod)).replace(
        /image: ".*"/,
        'image: "registry.dips.no/favn-feature-appointments:2.0.0"',
      ),
    );
    await repo.write(
      GROUPS,
      `${(await repo.read(GROUPS)).replace('  - favn-feature-appointments\n', '')}\nshared-domain:\n  - patientlistservice\n`,
    );
    await repo.write(
      'environments/hospital-syd.yaml',
      'applications:\n  - stage: production\n    productGroups:\n      - forms-domain\n',
    );
    const result = await repo.pilar(['doctor', '--json']);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    const report = JSON.parse(result.stdout);
    const found = report.findings
      .map((f: { severity: string; check: string }) => `${f.severity} ${f.check}`)
      .sort();
    expect(found).toEqual([
      'error mutable-tag',
      'error no-group',
      'error several-groups',
      'error unknown-group',
      'warning unused-group',
    ]);
    expect(report.findings.find((f: { check: string }) => f.check === 'several-groups').message).toContain(
      'patientlistservice is in 2 groups (patientlist-domain, shared-domain)',
    );
    expect(report.findings.find((f: { check: string }) => f.check === 'mutable-tag').file).toBe(prod);
  });

  it("checks a feature's manifest.json services against its dependencyManager", async () => {
    const manifest = join(repo.dir, '..', 'manifest.json');
    await writeFile(
      manifest,
      JSON.stringify({
        id: 'patientlist',
        version: '1.4.0',
        infrastructure: {
          services: [{ name: 'patientlistservice', minVersion: '4.13.0' }, 'patientlist-db@1.0.0'],
        },
      }),
    );
    const result = await repo.pilar(['doctor', '--manifest', manifest]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      'error [manifest] products/favn-feature-patientlist/production/values.yaml: manifest.json needs patientlistservice >= 4.13.0, but production requires >= 4.12.0',
    );
    expect(lines.filter((line) => line.includes('needs patientlist-db >= 1.0.0'))).toHaveLength(2);
    expect(
      lines.some((line) => line.includes('development/values.yaml: manifest.json needs patientlistservice')),
    ).toBe(false);

    const devOnly = await repo.pilar(['doctor', '--manifest', manifest, '--stage', 'development', '--json']);
    const report = JSON.parse(devOnly.stdout);
    expect(report.findings.map((f: { message: string }) => f.message)).toEqual([
      'manifest.json needs patientlist-db >= 1.0.0, but development does not list it in dependencyManager',
    ]);
  });
});

describe('pilar --help', () => {
  it.each([
    'feature bump',
    'feature promote',
    'feature rollback',
    'feature list',
    'feature init',
    'product bump',
    'group add',
    'group rm',
    'doctor',
    'resolve',
    'feature',
    'product',
    'group',
  ])('shows examples for pilar %s', async (command) => {
    const result = await runCli('pilar', [...command.split(' '), '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain(`$ pilar ${command}`);
  });

  it('shows examples for pilar itself', async () => {
    const result = await runCli('pilar', ['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('$ pilar feature bump');
  });

  it('exits 1 on an unknown option', async () => {
    const result = await runCli('pilar', [
      'feature',
      'bump',
      'x',
      '--stage',
      'd',
      '--image',
      'i',
      '--frobnicate',
    ]);
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain("unknown option '--frobnicate'");
  });
});
