import { assertValidManifests } from '@deploysmith/manifests';
import { afterAll, describe, expect, it } from 'vitest';
import { ManifestChecker } from './manifest-checker.ts';

const checker = new ManifestChecker();
afterAll(() => checker.close());

const file = (path: string, text: string) => ({ path, content: Buffer.from(text) });
const configMap = (keys: number) =>
  file(
    'config.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n${Array.from({ length: keys }, (_, i) => `  k${i}: v${i}\n`).join('')}`,
  );

/** How many turns the event loop makes while `work` runs. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const spin = () => {
    turns++;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  await work.finally(() => {
    running = false;
  });
  return turns;
}

describe('the manifest checker', () => {
  it('passes valid manifests and refuses invalid ones exactly as the validator does', async () => {
    await expect(checker.check([configMap(3)])).resolves.toBeUndefined();
    const invalid = [
      file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: 5\n'),
    ];
    const inThread = await assertValidManifests(invalid).catch((error: unknown) => error);
    const offThread = await checker.check(invalid).catch((error: unknown) => error);
    expect(offThread).toEqual(inThread);
    expect(offThread).toMatchObject({ code: 'invalid_manifests', details: [{ file: 'pod.yaml', line: 6 }] });
  });

  it('leaves the event loop free while a large bundle is checked', async () => {
    const large = [configMap(10_000)];
    const inThread = await turnsDuring(assertValidManifests(large));
    const offThread = await turnsDuring(checker.check(large));
    expect(offThread).toBeGreaterThan(10 * inThread);
  });
});
