import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import type { BuildOptions } from './options.ts';

export function buildCommand(): Command {
  const command = new Command('build')
    .description(
      'Render Kubernetes manifests (Deployment, Service; ConfigMap, Ingress, HorizontalPodAutoscaler when asked) from a service spec',
    )
    .argument('[spec]', 'service spec YAML file (see README or --print-schema)')
    .option('-o, --output <dir>', 'folder to write the manifests to', 'manifests')
    .option(
      '--pin-digests',
      'resolve the image tag to its digest, so the manifests never rely on a mutable tag',
    )
    .option('--print-schema', 'print the JSON schema of the service spec and exit')
    .option('--json', 'print {outDir, files, image} as JSON')
    .action(async (spec: string | undefined, options: BuildOptions) => {
      const { runBuild } = await import('./build.ts');
      await runBuild(spec, options);
    });
  return withExamples(command, [
    'forge build service.yaml -o manifests',
    'forge build service.yaml -o manifests --pin-digests',
    'forge build --print-schema > service.schema.json',
  ]);
}
