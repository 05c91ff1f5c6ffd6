import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { KINDS_MODULE, renderKindsModule } from './generate-kinds.ts';

it('lists every kind of the installed kubernetes-models (run src/schema/generate-kinds.ts after an upgrade)', async () => {
  expect(await readFile(KINDS_MODULE, 'utf8')).toBe(await renderKindsModule());
});
