import { withExamples } from '@deploysmith/cli-kit';
import { Command, Option } from 'commander';
import {
  collect,
  type EditOptions,
  editOptions,
  type RegistryFlags,
  registryOptions,
} from '../../options.ts';

export interface FeatureBumpOptions extends EditOptions, RegistryFlags {
  stage: string;
  image: string;
  requires?: string[];
  chart?: string[];
}

export function featureBumpCommand(): Command {
  const command = new Command('bump')
    .description("pin a new image digest in a feature's values.yaml for one stage")
    .argument('<feature>', 'feature product (favn-feature-patientlist) or short name (patientlist)')
    .requiredOption('--stage <stage>', 'stage folder to edit, e.g. development')
    .requiredOption('--image <ref>', 'image to release; a tag is resolved to its digest in the registry')
    .addOption(
      new Option(
        '--requires <service@minVersion>',
        'raise (or add) a dependencyManager entry (repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--chart <product@version>',
        "also set a backend product's chart version in this stage (repeatable)",
      ).argParser(collect),
    );
  editOptions(command);
  registryOptions(command);
  withExamples(command, [
    'pilar feature bump patientlist --stage development --image registry.dips.no/favn-feature-patientlist:1.4.0',
    'pilar feature bump favn-feature-patientlist --stage production --image registry.dips.no/favn-feature-patientlist:1.4.0 \\\n      --requires patientlistservice@4.13.0 --chart patientlistservice@4.13.0 --branch release/patientlist-1.4.0',
    'pilar feature bump patientlist --stage development --image registry.dips.no/favn-feature-patientlist:1.4.0 --dry-run',
  ]);
  return command.action(async (feature: string, options: FeatureBumpOptions) => {
    const { featureBump } = await import('./bump.ts');
    await featureBump(feature, options);
  });
}
