import { createOutput, print, printJson } from '@deploysmith/cli-kit';
import { DeploySmithError } from '@deploysmith/core';
import { type BuildResult, buildService } from '../../service/build-service.ts';
import { serviceJsonSchema } from '../../service/spec.ts';
import type { BuildOptions } from './options.ts';

export async function runBuild(spec: string | undefined, options: BuildOptions): Promise<void> {
  const output = createOutput({ json: options.json });
  if (options.printSchema) {
    printJson(serviceJsonSchema());
    return;
  }
  if (spec === undefined) {
    throw new DeploySmithError('invalid_input', 'No service spec given.', {
      hint: 'Run forge build service.yaml -o manifests (forge build --help shows the options).',
    });
  }
  const result = options.pinDigests
    ? await buildPinned(spec, options.output)
    : await buildService({ specFile: spec, outDir: options.output });
  if (output.json) printJson(result);
  else print(`Rendered ${result.files.join(', ')} into ${result.outDir} (image ${result.image}).`);
}

/** The registry client is loaded only for --pin-digests. */
async function buildPinned(specFile: string, outDir: string): Promise<BuildResult> {
  const { RegistryClient } = await import('@deploysmith/registry');
  const registry = new RegistryClient();
  try {
    return await buildService({
      specFile,
      outDir,
      pinImage: async (image) => {
        const [resolved] = await registry.resolveMany([image]);
        if (resolved === undefined)
          throw new DeploySmithError('internal', `The registry client returned nothing for ${image}.`);
        return resolved.pinned;
      },
    });
  } finally {
    await registry.close();
  }
}
