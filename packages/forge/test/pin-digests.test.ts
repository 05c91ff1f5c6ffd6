/** `forge build --pin-digests` against a real OCI registry (CNCF distribution on a loopback port). */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '@deploysmith/testkit/bin';
import { startRegistry, type TestRegistry } from '@deploysmith/testkit/registry';
import { tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(() => registry?.stop());

describe('forge build --pin-digests', () => {
  it('writes the image as name@digest, the digest the registry reports for the tag', async () => {
    await using dir = await tempDir('forge-pin-');
    const pushed = await registry.pushImage('acme/hello', '1.0.0');
    await writeFile(
      join(dir.path, 'service.yaml'),
      stringify({ name: 'hello', image: `${registry.host}/acme/hello:1.0.0`, port: 8080 }),
    );
    const result = await runCli(
      'forge',
      ['build', 'service.yaml', '-o', 'manifests', '--pin-digests', '--json'],
      {
        cwd: dir.path,
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const pinned = `${registry.host}/acme/hello@${await registry.reportedDigest('acme/hello', '1.0.0')}`;
    expect(pushed.digest).toBe(await registry.reportedDigest('acme/hello', '1.0.0'));
    expect(JSON.parse(result.stdout)).toMatchObject({ image: pinned });
    const deployment = parse(await readFile(join(dir.path, 'manifests', 'deployment.yaml'), 'utf8'));
    expect(deployment.spec.template.spec.containers[0].image).toBe(pinned);
  });

  it('pins a multi-platform image to the digest of its index', async () => {
    await using dir = await tempDir('forge-pin-');
    const index = await registry.pushIndex('acme/multi', 'v2', { platforms: ['linux/amd64', 'linux/arm64'] });
    await writeFile(
      join(dir.path, 'service.yaml'),
      stringify({ name: 'multi', image: `${registry.host}/acme/multi:v2`, port: 80 }),
    );
    const result = await runCli('forge', ['build', 'service.yaml', '--pin-digests', '--json'], {
      cwd: dir.path,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).image).toBe(`${registry.host}/acme/multi@${index.digest}`);
  });

  it('fails without writing anything when the tag does not exist', async () => {
    await using dir = await tempDir('forge-pin-');
    await writeFile(
      join(dir.path, 'service.yaml'),
      stringify({ name: 'gone', image: `${registry.host}/acme/gone:1`, port: 80 }),
    );
    const result = await runCli('forge', ['build', 'service.yaml', '--pin-digests'], { cwd: dir.path });
    // The registry understood and said no: a refusal (exit 2) naming the reference.
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${registry.host}/acme/gone:1`);
    await expect(readFile(join(dir.path, 'manifests', 'deployment.yaml'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
