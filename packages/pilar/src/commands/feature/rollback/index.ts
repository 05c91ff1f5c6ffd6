import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type EditOptions, editOptions, type RegistryFlags, registryOptions } from '../../options.ts';

export interface FeatureRollbackOptions extends EditOptions, RegistryFlags {
  stage: string;
  to?: string;
  verify: boolean;
}

export function featureRollbackCommand(): Command {
  const command = new Command('rollback')
    .description('put back the previous image digest (from git history) or the one given with --to')
    .argument('<feature>', 'feature product or short name')
    .requiredOption('--stage <stage>', 'stage to roll back')
    .option('--to <digest>', 'digest (sha256:…) or full image reference to go back to')
    .option('--no-verify', 'write the digest without checking that the registry still has it');
  editOptions(command);
  registryOptions(command);
  withExamples(command, [
    'pilar feature rollback patientlist --stage production --commit',
    'pilar feature rollback patientlist --stage production --to sha256:1111…',
    'pilar feature rollback patientlist --stage production --no-verify --dry-run   # offline',
  ]);
  return command.action(async (feature: string, options: FeatureRollbackOptions) => {
    const { featureRollback } = await import('./rollback.ts');
    await featureRollback(feature, options);
  });
}
