import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { productBumpCommand } from './bump/index.ts';

export function productCommand(): Command {
  const command = new Command('product')
    .description('any SMUD product (backends included)')
    .addCommand(productBumpCommand());
  return withExamples(command, [
    'pilar product bump patientlistservice --stage production --chart-version 4.13.0 --commit',
  ]);
}
