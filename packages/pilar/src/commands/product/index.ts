import { Command } from 'commander';
import { productBumpCommand } from './bump/index.ts';

export function productCommand(): Command {
  return new Command('product')
    .description('any SMUD product (backends included)')
    .addCommand(productBumpCommand());
}
