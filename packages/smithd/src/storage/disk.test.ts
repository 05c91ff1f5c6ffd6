import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { tempDir } from '@deploysmith/testkit/temp';
import { afterEach, describe, expect, it } from 'vitest';
import { openDiskStorage } from './disk.ts';

const dirs: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await dir.remove();
});

async function storageRoot(): Promise<string> {
  const dir = await tempDir('disk-storage-');
  dirs.push(dir);
  return join(dir.path, 'storage');
}

const bytes = Buffer.from('not really a bundle');
const declared = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
const ref = { app: 'hello', version: '1' };

async function upload(storage: Awaited<ReturnType<typeof openDiskStorage>>): Promise<void> {
  const target = await storage.draftUploadTarget(ref, declared);
  const url = new URL(target.url);
  await storage.uploads?.receive({
    key: url.pathname.replace(/^\/uploads\//, ''),
    query: Object.fromEntries(url.searchParams),
    contentLength: String(bytes.length),
    body: Readable.from([bytes]) as never,
  });
}

describe('disk storage', () => {
  it('replaces an empty signing key a crash or a full disk left behind, instead of signing with it', async () => {
    const root = await storageRoot();
    await openDiskStorage({ root, publicUrl: 'http://smithd' });
    await writeFile(join(root, '.upload-signing-key'), '');
    const storage = await openDiskStorage({ root, publicUrl: 'http://smithd' });
    expect((await readFile(join(root, '.upload-signing-key'), 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
    await upload(storage);
    expect((await storage.openDraft(ref, declared)).path).toContain('drafts');
  });

  it('names the storage (storage_unavailable) when its folder is gone, never "nothing was uploaded" or a bare file error', async () => {
    const root = await storageRoot();
    const storage = await openDiskStorage({ root, publicUrl: 'http://smithd' });
    await upload(storage);
    await storage.promote(ref, declared);
    await rename(root, `${root}.away`);
    await writeFile(root, 'a file where the storage folder was\n');
    const failures = await Promise.all([
      storage.draftUploadTarget(ref, declared).catch((error) => error),
      upload(storage).catch((error) => error),
      storage.openDraft(ref, declared).catch((error) => error),
      storage.promote(ref, declared).catch((error) => error),
      storage.openPublished(ref).catch((error) => error),
      storage.deleteDraft(ref).catch((error) => error),
    ]);
    for (const failure of failures) {
      expect(failure).toMatchObject({ code: 'storage_unavailable' });
      expect(failure.message).toContain(root);
    }
  });
});
