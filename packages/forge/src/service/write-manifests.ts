/** Writes rendered objects as YAML files, one object per file, and removes the ones no longer rendered. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { RENDERED_FILES, type RenderedObject } from './render.ts';

const HEADER = '# Rendered by forge build';

export function manifestText(object: Record<string, unknown>, source: string): string {
  return `${HEADER} from ${source}; edit that file, not this one.\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

export async function writeManifests(
  dir: string,
  objects: RenderedObject[],
  source: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written = new Set(objects.map((o) => o.file));
  // An ingress.yaml from before host was removed must go, or it would be published; a file that
  // forge did not write (no header) is the user's and stays.
  for (const file of RENDERED_FILES.filter((name) => !written.has(name))) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (text?.startsWith(HEADER)) await rm(join(dir, file), { force: true });
  }
  await Promise.all(objects.map((o) => writeFile(join(dir, o.file), manifestText(o.object, source))));
  return objects.map((o) => o.file);
}
