import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DeploySmithError } from '@deploysmith/core';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawEntry, rawTar, writeRawBundle } from './hostile-tar.ts';
import { readBundle } from './read-bundle.ts';

const VERSION_YML = `app: web
id: 42540c4-123
gitSha: 42540c4
branch: main
tag: null
committer: Ada <ada@example.com>
buildNumber: "123"
pipelineUrl: null
createdAt: 2024-05-01T12:00:00Z
`;
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n';
const version: RawEntry = { name: 'version.yml', content: VERSION_YML };
const manifest: RawEntry = { name: 'manifests/app.yaml', content: CONFIGMAP };

let dir: TempDir;
let count = 0;
beforeAll(async () => {
  dir = await tempDir('bundle-read-');
});
afterAll(() => dir.remove());

const bundle = (entries: RawEntry[], gzip = true) =>
  writeRawBundle(join(dir.path, `b${count++}.tar.gz`), entries, gzip);

async function rejection(path: string, limits?: Parameters<typeof readBundle>[1]): Promise<DeploySmithError> {
  const error = await readBundle(path, limits).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeploySmithError);
  expect((error as DeploySmithError).code).toBe('invalid_bundle');
  expect((error as DeploySmithError).status).toBe(400);
  return error as DeploySmithError;
}

describe('readBundle', () => {
  it('reads version.yml and the manifests, with ./ prefixes and folder entries', async () => {
    const path = await bundle([
      { name: './', type: '5' },
      { name: './version.yml', content: VERSION_YML },
      { name: './manifests/', type: '5' },
      { name: './manifests/web/', type: '5' },
      { name: './manifests/web/app.yaml', content: CONFIGMAP },
    ]);
    const { versionFile, files } = await readBundle(path);
    expect(versionFile).toMatchObject({
      app: 'web',
      id: '42540c4-123',
      gitSha: '42540c4',
      buildNumber: '123',
      tag: null,
    });
    expect(files.map((file) => [file.path, Buffer.from(file.content).toString()])).toEqual([
      ['web/app.yaml', CONFIGMAP],
    ]);
  });

  it.each<[string, RawEntry, RegExp]>([
    [
      'a symlink',
      { name: 'manifests/link.yaml', type: '2', linkname: '/etc/passwd' },
      /"manifests\/link\.yaml" is a symbolic link/,
    ],
    [
      'a hard link',
      { name: 'manifests/link.yaml', type: '1', linkname: 'version.yml' },
      /"manifests\/link\.yaml" is a hard link/,
    ],
    [
      'a character device',
      { name: 'manifests/tty.yaml', type: '3' },
      /"manifests\/tty\.yaml" is a character device/,
    ],
    ['a block device', { name: 'manifests/sda.yaml', type: '4' }, /is a block device/],
    ['a FIFO', { name: 'manifests/pipe.yaml', type: '6' }, /"manifests\/pipe\.yaml" is a FIFO/],
    [
      'an absolute path',
      { name: '/etc/cron.d/x.yaml', content: CONFIGMAP },
      /"\/etc\/cron\.d\/x\.yaml" is an absolute path/,
    ],
    ['a Windows drive path', { name: 'C:/x.yaml', content: CONFIGMAP }, /"C:\/x\.yaml" is an absolute path/],
    [
      'a .. segment',
      { name: 'manifests/../../x.yaml', content: CONFIGMAP },
      /"manifests\/\.\.\/\.\.\/x\.yaml" contains a "\.\." segment/,
    ],
    ['a leading ..', { name: '../version.yml', content: VERSION_YML }, /contains a "\.\." segment/],
    ['a backslash', { name: 'manifests\\..\\x.yaml', content: CONFIGMAP }, /contains a backslash/],
    [
      'a control character',
      { name: 'manifests/a\u0001.yaml', content: CONFIGMAP },
      /"manifests\/a\\u0001\.yaml" contains a NUL or control character/,
    ],
    ['a newline', { name: 'manifests/a\n.yaml', content: CONFIGMAP }, /contains a NUL or control character/],
    [
      'a NUL in a PAX path',
      { name: 'x', pax: { path: 'manifests/a\u0000b.yaml' }, content: CONFIGMAP },
      /contains a NUL or control character/,
    ],
    [
      'an entry outside manifests/',
      { name: 'scripts/run.yaml', content: CONFIGMAP },
      /"scripts\/run\.yaml" is outside version\.yml and manifests\//,
    ],
    ['a folder outside manifests/', { name: 'etc/', type: '5' }, /"etc\/" is outside/],
    [
      'a file that is not YAML',
      { name: 'manifests/run.sh', content: 'rm -rf /' },
      /"manifests\/run\.sh" is not a \.yaml or \.yml file/,
    ],
    [
      'a dot-file',
      { name: 'manifests/.hidden.yaml', content: CONFIGMAP },
      /has a name with characters other than/,
    ],
    [
      'a look-alike Unicode name',
      { name: 'manifests/аpp.yaml', content: CONFIGMAP },
      /has a name with characters other than/,
    ],
    [
      'an empty segment',
      { name: 'manifests//a.yaml', content: CONFIGMAP },
      /contains an empty or "\." segment/,
    ],
  ])('rejects %s, naming the entry and the rule', async (_, entry, message) => {
    const error = await rejection(await bundle([version, manifest, entry]));
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  it('rejects duplicate entries, including ones that differ only in case', async () => {
    const twice = await rejection(await bundle([version, manifest, manifest]));
    expect(twice.message).toMatch(/"manifests\/app\.yaml" appears twice/);
    const cased = await rejection(
      await bundle([version, manifest, { ...manifest, name: 'manifests/App.yaml' }]),
    );
    expect(cased.message).toMatch(/"manifests\/App\.yaml" appears twice/);
    const versions = await rejection(await bundle([version, manifest, version]));
    expect(versions.message).toMatch(/"version\.yml" appears twice/);
  });

  it('rejects a file where a folder is, and the reverse', async () => {
    const fileThenFolder = await rejection(
      await bundle([
        version,
        { name: 'manifests/a.yaml', content: CONFIGMAP },
        { name: 'manifests/a.yaml/b.yaml', content: CONFIGMAP },
      ]),
    );
    expect(fileThenFolder.message).toMatch(
      /"manifests\/a\.yaml\/b\.yaml" is inside "manifests\/a\.yaml", which is a file/,
    );
    const folderThenFile = await rejection(
      await bundle([
        version,
        { name: 'manifests/a.yaml/b.yaml', content: CONFIGMAP },
        { name: 'manifests/a.yaml', content: CONFIGMAP },
      ]),
    );
    expect(folderThenFile.message).toMatch(/"manifests\/a\.yaml" appears twice/);
  });

  it('rejects more than maxFiles entries', async () => {
    const entries = Array.from({ length: 11 }, (_, index) => ({
      name: `manifests/f${index}.yaml`,
      content: CONFIGMAP,
    }));
    const error = await rejection(await bundle([version, ...entries]), { maxFiles: 10 });
    expect(error.message).toBe('The bundle has more than 10 entries.');
  });

  it('rejects a file over maxFileBytes from its header, before reading it', async () => {
    const error = await rejection(
      await bundle([version, { name: 'manifests/big.yaml', content: 'x'.repeat(2000) }]),
      {
        maxFileBytes: 1000,
      },
    );
    expect(error.message).toBe(
      'Bundle entry "manifests/big.yaml" is larger than the limit of 1000 bytes per file.',
    );
  });

  it('takes the size from a PAX header over the ustar field', async () => {
    const content = 'x'.repeat(3000);
    const error = await rejection(
      await bundle([
        version,
        { name: 'manifests/big.yaml', size: 10, pax: { size: String(content.length) }, content },
      ]),
      { maxFileBytes: 1000 },
    );
    expect(error.message).toMatch(/"manifests\/big\.yaml" is larger than the limit of 1000 bytes/);
  });

  it('rejects a bundle file larger than maxCompressedBytes', async () => {
    const entries = Array.from({ length: 5 }, (_, index) => ({
      name: `manifests/f${index}.yaml`,
      content: CONFIGMAP,
    }));
    const error = await rejection(await bundle([version, ...entries]), { maxCompressedBytes: 100 });
    expect(error.message).toBe('The bundle is larger than the limit of 100 bytes.');
  });

  it('rejects files larger than maxUnpackedBytes together', async () => {
    const entries = Array.from({ length: 5 }, (_, index) => ({
      name: `manifests/f${index}.yaml`,
      content: 'x'.repeat(400),
    }));
    const error = await rejection(await bundle([version, ...entries]), { maxUnpackedBytes: 1500 });
    expect(error.message).toBe("The bundle's files are larger than the limit of 1500 bytes together.");
  });

  it('stops a gzip bomb by its compression ratio, long before it is unpacked', async () => {
    // 64 MiB of zeros after the archive compress to about 64 KiB: a ratio of 1000.
    const path = join(dir.path, 'bomb.tar.gz');
    const tar = rawTar([version, manifest]);
    await writeFile(path, gzipSync(Buffer.concat([tar, Buffer.alloc(64 * 1024 * 1024)]), { level: 9 }));
    const error = await rejection(path);
    expect(error.message).toMatch(
      /^The bundle unpacks more than 200 times its compressed size \(a gzip bomb\?\)/,
    );
  });

  it('rejects a bundle without version.yml, or with an invalid one', async () => {
    expect((await rejection(await bundle([manifest]))).message).toBe(
      'The bundle has no version.yml at its root.',
    );
    const schema = await rejection(
      await bundle([
        { name: 'version.yml', content: VERSION_YML.replace('42540c4\n', 'not-a-sha\n') },
        manifest,
      ]),
    );
    expect(schema.message).toBe(
      'The bundle\'s version.yml does not match the version schema: gitSha must match pattern "^[0-9a-f]{7,64}$".',
    );
    expect(schema.details).toEqual([
      { file: 'version.yml', field: 'gitSha', message: 'gitSha must match pattern "^[0-9a-f]{7,64}$"' },
    ]);
    const extra = await rejection(
      await bundle([{ name: 'version.yml', content: `${VERSION_YML}evil: true\n` }, manifest]),
    );
    expect(extra.message).toMatch(/does not match the version schema/);
    const yaml = await rejection(
      await bundle([{ name: 'version.yml', content: `${VERSION_YML}app: again\n` }, manifest]),
    );
    expect(yaml.message).toMatch(/version\.yml is not valid YAML: Map keys must be unique/);
    const bytes = await rejection(
      await bundle([{ name: 'version.yml', content: Buffer.from([0xff, 0xfe, 0x41]) }, manifest]),
    );
    expect(bytes.message).toBe("The bundle's version.yml is not UTF-8 text.");
    const big = await rejection(
      await bundle([{ name: 'version.yml', content: `${VERSION_YML}#${'x'.repeat(20_000)}\n` }]),
    );
    expect(big.message).toBe('Bundle entry "version.yml" is larger than the limit of 16384 bytes per file.');
  });

  it('rejects bytes that are not a gzip, a plain tar, and a truncated bundle', async () => {
    const notGzip = join(dir.path, 'not.tar.gz');
    await writeFile(notGzip, 'hello, this is not a bundle');
    expect((await rejection(notGzip)).message).toMatch(
      /^The bundle is not a valid gzip'd tar: incorrect header check/,
    );
    expect((await rejection(await bundle([version, manifest], false))).message).toMatch(
      /not a valid gzip'd tar/,
    );
    const truncated = join(dir.path, 'truncated.tar.gz');
    const whole = gzipSync(rawTar([version, { name: 'manifests/a.yaml', content: 'x'.repeat(100_000) }]));
    await writeFile(truncated, whole.subarray(0, whole.length - 100));
    expect((await rejection(truncated)).message).toMatch(/not a valid gzip'd tar/);
  });

  it('fails with the file system error when the file itself cannot be read', async () => {
    await expect(readBundle(join(dir.path, 'missing.tar.gz'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
