import { withExamples } from '@deploysmith/cli-kit';
import { Command, Option } from 'commander';
import {
  collect,
  type EditOptions,
  editOptions,
  type RegistryFlags,
  registryOptions,
} from '../../options.ts';

export interface FeatureInitOptions extends EditOptions, RegistryFlags {
  team: string;
  group: string;
  image: string;
  stages?: string;
  requires?: string[];
  chartVersion?: string;
}

export function featureInitCommand(): Command {
  const command = new Command('init')
    .description('scaffold a feature registration product and add it to its product group')
    .argument('<feature>', 'feature product (favn-feature-labresults) or short name (labresults)')
    .requiredOption('--team <team>', 'responsible team, e.g. team-labresults')
    .requiredOption(
      '--group <group>',
      'product group in environments/productGroups.yaml (created when missing)',
    )
    .requiredOption('--image <ref>', 'the published image; a tag is resolved to its digest')
    .option(
      '--stages <list>',
      'comma-separated stages (default from .pilar.yaml, else development,production)',
    )
    .addOption(
      new Option('--requires <service[@minVersion]>', 'a backend the feature needs (repeatable)').argParser(
        collect,
      ),
    )
    .option(
      '--chart-version <version>',
      'version of the shared chart (default from .pilar.yaml, else 1.0.0)',
    );
  editOptions(command);
  registryOptions(command);
  withExamples(command, [
    'pilar feature init labresults --team team-labresults --group labresults-domain \\\n      --image registry.dips.no/favn-feature-labresults:1.0.0 --requires labresults-service@2.1.0 --requires favn-host',
    'pilar feature init helpwidget --team team-help --group helpwidget-domain --image registry.dips.no/favn-feature-helpwidget:0.1.0 --stages development',
  ]);
  return command.action(async (feature: string, options: FeatureInitOptions) => {
    const { featureInit } = await import('./init.ts');
    await featureInit(feature, options);
  });
}
