import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from './git.ts';
import { blobOid, treeOid } from './git-objects.ts';

describe('git object ids', () => {
  it('computes the blob and tree ids git computes, nested folders and sort order included', async () => {
    const files = [
      { path: 'kustomization.yaml', content: new TextEncoder().encode('resources: []\n') },
      { path: 'a.yaml', content: new TextEncoder().encode('kind: A\n') },
      { path: 'a/b.yaml', content: new TextEncoder().encode('kind: B\n') },
      { path: 'a-b.yaml', content: new Uint8Array([0, 1, 2, 255]) },
      { path: 'a.b/c.yaml', content: new TextEncoder().encode('') },
    ];
    const dir = await mkdtemp(join(tmpdir(), 'oids-'));
    try {
      await git(dir, ['init', '-q']);
      for (const file of files) {
        await mkdir(dirname(join(dir, file.path)), { recursive: true });
        await writeFile(join(dir, file.path), file.content);
      }
      await git(dir, ['add', '-A']);
      expect(treeOid(files)).toBe((await git(dir, ['write-tree'])).trim());
      expect(blobOid(files[3]?.content ?? new Uint8Array())).toBe(
        (await git(dir, ['hash-object', 'a-b.yaml'])).trim(),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
