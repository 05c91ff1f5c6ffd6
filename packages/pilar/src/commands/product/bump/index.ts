import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type EditOptions, editOptions } from '../../options.ts';

export interface ProductBumpOptions extends EditOptions {
  stage: string;
  chartVersion: string;
}

export function productBumpCommand(): Command {
  const command = new Command('bump')
    .description("set a product's helm chart version in one stage (a backend's app.yaml)")
    .argument('<product>', 'product folder under products/, e.g. patientlistservice')
    .requiredOption('--stage <stage>', 'stage folder to edit')
    .requiredOption('--chart-version <version>', 'new helm.chartVersion');
  editOptions(command);
  withExamples(command, [
    'pilar product bump patientlistservice --stage production --chart-version 4.13.0',
    'pilar feature bump patientlist --stage production --image REF --chart patientlistservice@4.13.0 --commit   # both in one commit',
  ]);
  return command.action(async (product: string, options: ProductBumpOptions) => {
    const { productBump } = await import('./bump.ts');
    await productBump(product, options);
  });
}
