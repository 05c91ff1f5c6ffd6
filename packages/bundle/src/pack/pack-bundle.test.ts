import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DeploySmithError, type VersionFile } from '@deploysmith/core';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBundle } from '../read/read-bundle.ts';
import { sha256File } from '../sha256.ts';
import { packBundle } from './pack-bundle.ts';

const versionFile: VersionFile = {
  app: 'web',
  id: '42540c4-123',
  gitSha: '42540c4',
  branch: 'main',
  tag: null,
  committer: 'Ada <ada@example.com>',
  buildNumber: '123',
  pipelineUrl: 'https://ci.example.com/runs/123',
  createdAt: '2024-05-01T12:00:00Z',
};

let dir: TempDir;
let manifests: string;
beforeEach(async () => {
  dir = await tempDir('bundle-pack-');
  manifests = join(dir.path, 'manifests');
  await mkdir(join(manifests, 'nested/deeper'), { recursive: true });
  await writeFile(join(manifests, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\n');
  await writeFile(join(manifests, 'nested/service.yml'), 'apiVersion: v1\nkind: Service\n');
  await writeFile(join(manifests, 'nested/deeper/config.yaml'), `data: "${'ü'.repeat(1000)}"\n`);
});
afterEach(() => dir.remove());

const pack = (output: string, options: Partial<Parameters<typeof packBundle>[0]> = {}) =>
  packBundle({ versionFile, manifestsDir: manifests, output: join(dir.path, output), ...options });

describe('packBundle', () => {
  it('packs version.yml and the manifests, and readBundle gives them back byte for byte', async () => {
    const packed = await pack('out/bundle.tar.gz');
    expect(packed.files).toEqual(['deployment.yaml', 'nested/deeper/config.yaml', 'nested/service.yml']);
    expect(packed.size).toBe((await stat(packed.path)).size);
    expect(packed.sha256).toBe(await sha256File(packed.path));
    const read = await readBundle(packed.path);
    expect(read.versionFile).toEqual(versionFile);
    expect(read.files.map((file) => file.path)).toEqual(packed.files);
    for (const file of read.files) {
      expect(Buffer.from(file.content).equals(await readFile(join(manifests, file.path)))).toBe(true);
    }
  });

  it('is deterministic: the same input gives the same bytes, whatever the files’ times and modes', async () => {
    const first = await pack('a.tar.gz');
    await utimes(join(manifests, 'deployment.yaml'), new Date('2001-01-01'), new Date('2001-01-01'));
    await chmod(join(manifests, 'nested/service.yml'), 0o600);
    const second = await pack('b.tar.gz');
    expect(second.sha256).toBe(first.sha256);
    expect((await readFile(second.path)).equals(await readFile(first.path))).toBe(true);
    const changed = await pack('c.tar.gz', { versionFile: { ...versionFile, buildNumber: '124' } });
    expect(changed.sha256).not.toBe(first.sha256);
  });

  it('writes a portable gzip header: no name, no time, unknown OS', async () => {
    const bytes = await readFile((await pack('a.tar.gz')).path);
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it('leaves out dot-files, dot-folders and files that are not YAML', async () => {
    await mkdir(join(manifests, '.git'));
    await writeFile(join(manifests, '.git/config.yaml'), 'x: 1\n');
    await writeFile(join(manifests, '.secret.yaml'), 'x: 1\n');
    await writeFile(join(manifests, 'README.md'), '# hi\n');
    expect((await pack('a.tar.gz')).files).toEqual([
      'deployment.yaml',
      'nested/deeper/config.yaml',
      'nested/service.yml',
    ]);
  });

  it('packs a symlink to a file inside the folder as that file, and refuses one that points outside', async () => {
    await symlink(join(manifests, 'deployment.yaml'), join(manifests, 'alias.yaml'));
    const packed = await pack('a.tar.gz');
    const read = await readBundle(packed.path);
    const alias = read.files.find((file) => file.path === 'alias.yaml');
    expect(Buffer.from(alias?.content ?? []).toString()).toBe('apiVersion: apps/v1\nkind: Deployment\n');

    await writeFile(join(dir.path, 'secret.yaml'), 'token: hunter2\n');
    await symlink(join(dir.path, 'secret.yaml'), join(manifests, 'leak.yaml'));
    const error = await pack('b.tar.gz').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeploySmithError);
    expect((error as DeploySmithError).code).toBe('invalid_input');
    expect((error as DeploySmithError).message).toMatch(
      /^The manifest "leak\.yaml" is a symlink to .*secret\.yaml, outside /,
    );
  });

  it('follows a symlinked folder inside the folder, and refuses one that leads back to a folder it is in', async () => {
    await mkdir(join(manifests, 'base'));
    await writeFile(join(manifests, 'base', 'service.yaml'), 'apiVersion: v1\nkind: Service\n');
    await symlink(join(manifests, 'base'), join(manifests, 'prod'));
    const read = await readBundle((await pack('a.tar.gz')).path);
    expect(read.files.map((file) => file.path)).toContain('prod/service.yaml');

    for (const [link, target] of [
      ['loop', manifests],
      ['base/up', '..'],
    ] as const) {
      await symlink(target, join(manifests, link));
      await expect(pack('b.tar.gz')).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(new RegExp(`has a symlink loop: "${link}" leads back to `)),
      });
      await expect(stat(join(dir.path, 'b.tar.gz'))).rejects.toMatchObject({ code: 'ENOENT' });
      await rm(join(manifests, link));
    }
  });

  it('refuses names a bundle cannot hold, before writing anything', async () => {
    await writeFile(join(manifests, 'my service.yaml'), 'x: 1\n');
    await expect(pack('a.tar.gz')).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/"my service\.yaml" has a name with characters other than/),
    });
    await expect(stat(join(dir.path, 'a.tar.gz'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses invalid metadata and a missing folder', async () => {
    await expect(pack('a.tar.gz', { versionFile: { ...versionFile, gitSha: 'nope' } })).rejects.toMatchObject(
      {
        code: 'invalid_input',
        message: expect.stringMatching(/gitSha must match pattern/),
      },
    );
    await expect(pack('a.tar.gz', { manifestsDir: join(dir.path, 'missing') })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/cannot be read: ENOENT/),
    });
  });

  it('packs a 200 MB bundle without its memory growing with the bundle', async () => {
    const big = join(dir.path, 'big');
    await mkdir(big);
    // Random base64 compresses to about 3/4, so 273 MB of files make a bundle of about 205 MB.
    const line = () => `# ${Buffer.from(crypto.getRandomValues(new Uint8Array(4096))).toString('base64')}\n`;
    for (let index = 0; index < 20; index++) {
      const lines = Array.from({ length: 2_500 }, line).join('');
      await writeFile(join(big, `part-${String(index).padStart(2, '0')}.yaml`), lines);
    }
    const script = fileURLToPath(new URL('./pack-memory.test-child.ts', import.meta.url));
    const output = join(dir.path, 'big.tar.gz');
    const { stdout } = await promisify(execFile)(process.execPath, [script, big, output], {
      maxBuffer: 1024 * 1024,
    });
    const { growth, size } = JSON.parse(stdout) as { growth: number; size: number };
    expect(size).toBeGreaterThan(200 * 1000 * 1000);
    console.log(`packed ${(size / 1e6).toFixed(0)} MB; RSS grew ${(growth / 1e6).toFixed(1)} MB`);
    expect(growth).toBeLessThan(100 * 1024 * 1024);
  }, 180_000);
});
