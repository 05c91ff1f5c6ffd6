import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/layers.ts';
import { addConfigOptions } from '../config-options.ts';

export function registerMigrate(program: Command): void {
  const command = addConfigOptions(
    program
      .command('migrate')
      .description('Bring the database schema up to date (smithd also does it at start-up)'),
  ).option('--json', 'print one JSON document');
  withExamples(command, ['smithd migrate', 'smithd migrate --database postgres://smithd@db/smithd']);
  command.action(async (flags: ConfigFlags & { json?: boolean }) => {
    const { migrateCommand } = await import('./migrate.ts');
    await migrateCommand(flags);
  });
}
