import { mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@deploysmith/testkit/temp';
import { describe, expect, it } from 'vitest';
import { readManifestDir } from './read-manifest-dir.ts';
import { validateManifestDir } from './validate-dir.ts';

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

describe('readManifestDir', () => {
  it('reads *.yaml and *.yml in nested folders, in byte order, leaving out dot-files and other files', async () => {
    await using dir = await tempDir('forge-read-');
    await mkdir(join(dir.path, 'b', 'c'), { recursive: true });
    await mkdir(join(dir.path, '.git'));
    await writeFile(join(dir.path, 'b', 'c', 'x.yml'), CONFIGMAP);
    await writeFile(join(dir.path, 'B.yaml'), CONFIGMAP);
    await writeFile(join(dir.path, 'a.yaml'), CONFIGMAP);
    await writeFile(join(dir.path, '.hidden.yaml'), CONFIGMAP);
    await writeFile(join(dir.path, '.git', 'config.yaml'), CONFIGMAP);
    await writeFile(join(dir.path, 'README.md'), '# not a manifest');
    const files = await readManifestDir(dir.path);
    expect(files.map((file) => file.path)).toEqual(['B.yaml', 'a.yaml', 'b/c/x.yml']);
    expect(Buffer.from(files[0]?.content ?? []).toString()).toBe(CONFIGMAP);
  });

  it('reads what forge publish packs: symlinks inside the folder followed, out of it or in a loop refused', async () => {
    await using dir = await tempDir('forge-read-');
    await writeFile(join(dir.path, 'a.yaml'), CONFIGMAP);
    await symlink(join(dir.path, 'a.yaml'), join(dir.path, 'alias.yaml'));
    expect((await readManifestDir(dir.path)).map((file) => file.path)).toEqual(['a.yaml', 'alias.yaml']);

    await symlink('/etc/passwd', join(dir.path, 'passwd.yaml'));
    await expect(readManifestDir(dir.path)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^The manifest "passwd\.yaml" is a symlink to \/etc\/passwd, outside /),
    });
    await rm(join(dir.path, 'passwd.yaml'));
    await symlink(dir.path, join(dir.path, 'loop'));
    await expect(readManifestDir(dir.path)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/has a symlink loop: "loop" leads back to /),
    });
  });

  it('refuses a folder over the size limit before reading it', async () => {
    await using dir = await tempDir('forge-read-');
    // A sparse file: 65 MiB on paper, nothing on disk.
    await writeFile(join(dir.path, 'huge.yaml'), '');
    await truncate(join(dir.path, 'huge.yaml'), 65 * 1024 * 1024);
    await expect(readManifestDir(dir.path)).rejects.toMatchObject({
      code: 'invalid_manifests',
      message: expect.stringMatching(/more than the limit/),
    });
  });
});

describe('validateManifestDir', () => {
  it('names problems by the folder given plus the path inside it', async () => {
    await using dir = await tempDir('forge-validate-');
    await mkdir(join(dir.path, 'm', 'nested'), { recursive: true });
    await writeFile(
      join(dir.path, 'm', 'nested', 'bad.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n',
    );
    await expect(validateManifestDir(join(dir.path, 'm'))).rejects.toMatchObject({
      code: 'invalid_manifests',
      details: [expect.objectContaining({ file: `${join(dir.path, 'm')}/nested/bad.yaml`, line: 4 })],
    });
  });

  it('counts the files and objects of a valid folder', async () => {
    await using dir = await tempDir('forge-validate-');
    await writeFile(join(dir.path, 'a.yaml'), `${CONFIGMAP}---\n${CONFIGMAP.replace('name: a', 'name: b')}`);
    expect(await validateManifestDir(dir.path)).toEqual({ files: ['a.yaml'], objects: 2 });
  });
});
