import { createOutput, print, printJson } from '@deploysmith/cli-kit';
import { registryClient } from '../registry-client.ts';
import type { ResolveOptions } from './index.ts';

export async function resolve(refs: string[], options: ResolveOptions): Promise<void> {
  const output = createOutput({ json: options.json === true });
  const client = await registryClient(options);
  try {
    const resolved = await client.resolveMany(refs);
    if (output.json) printJson(resolved);
    else for (const entry of resolved) print(`${entry.ref} ${entry.digest}`);
  } finally {
    await client.close();
  }
}
