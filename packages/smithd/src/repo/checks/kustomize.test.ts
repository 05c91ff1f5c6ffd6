import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentBuild, type KustomizeTool, KustomizeVerifier } from './kustomize.ts';

// A kustomize that refuses everything: a check that gets to run it fails.
const refusing: KustomizeTool = { command: process.execPath, args: () => ['-e', 'process.exit(1)'] };
const OID = 'a'.repeat(40);
const build = (oid: string): EnvironmentBuild => ({
  appsDir: 'environments/staging/apps',
  app: { dir: 'environments/staging/apps/hello', oid },
  others: [],
  listsOnly: true,
});

describe('KustomizeVerifier.verifyAhead', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await tempDir('kustomize-ahead-');
  });
  afterAll(() => dir.remove());

  it('proves a folder content once it built ahead: its check does not build it again', async () => {
    const verifier = new KustomizeVerifier(refusing);
    await verifier.verifyAhead(OID, async () => undefined);
    await expect(verifier.verify(dir.path, build(OID))).resolves.toBeUndefined();
  });

  it('makes a check of the same content wait for the build ahead instead of starting its own', async () => {
    const verifier = new KustomizeVerifier(refusing);
    let finish: () => void = () => undefined;
    const ahead = verifier.verifyAhead(
      OID,
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const checked = verifier.verify(dir.path, build(OID));
    finish();
    await ahead;
    await expect(checked).resolves.toBeUndefined();
  });

  it('builds again in the repo what failed ahead, so the refusal is kustomize’s own', async () => {
    const verifier = new KustomizeVerifier(refusing);
    await verifier.verifyAhead(OID, () => Promise.reject(new Error('failed ahead')));
    await expect(verifier.verify(dir.path, build(OID))).rejects.toMatchObject({
      code: 'tree_does_not_build',
      message: expect.stringMatching(/^kustomize build environments\/staging\/apps\/hello failed/),
    });
  });

  it('proves nothing for a content whose check started before the build ahead', async () => {
    const verifier = new KustomizeVerifier(refusing);
    const checked = verifier.verify(dir.path, build(OID));
    await verifier.verifyAhead(OID, async () => undefined);
    // The check judged without it; the content is proven for the next one.
    await expect(checked).rejects.toMatchObject({ code: 'tree_does_not_build' });
    await expect(verifier.verify(dir.path, build(OID))).resolves.toBeUndefined();
  });
});
