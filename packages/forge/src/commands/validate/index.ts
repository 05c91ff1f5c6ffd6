import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import type { ValidateOptions } from './options.ts';

export function validateCommand(): Command {
  const command = new Command('validate')
    .description('Check Kubernetes manifests offline with the validator smithd uses; exit 1 on any problem')
    .argument('[dir]', 'folder of *.yaml/*.yml manifests, nested folders allowed', 'manifests')
    .option('--json', 'print the result (files, objects, problems) as JSON')
    .action(async (dir: string, options: ValidateOptions) => {
      const { runValidate } = await import('./validate.ts');
      await runValidate(dir, options);
    });
  return withExamples(command, [
    'forge validate',
    'forge validate deploy/k8s',
    'forge validate --json manifests',
  ]);
}
