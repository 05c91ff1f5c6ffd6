import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type RegistryFlags, registryOptions } from '../options.ts';

export interface ResolveOptions extends RegistryFlags {
  json?: boolean;
}

export function resolveCommand(): Command {
  const command = new Command('resolve')
    .description('resolve image references to digests: prints "REF DIGEST" lines')
    .argument('<refs...>', 'image references (registry/repo:tag or registry/repo@sha256:…)')
    .option('--json', 'print one JSON document on stdout');
  registryOptions(command);
  withExamples(command, [
    'pilar resolve registry.dips.no/favn-feature-patientlist:1.4.0',
    'pilar resolve nginx:1.27 ghcr.io/org/app:2.0 --json',
  ]);
  return command.action(async (refs: string[], options: ResolveOptions) => {
    const { resolve } = await import('./resolve.ts');
    await resolve(refs, options);
  });
}
