/**
 * smithd: the DeploySmith control plane. `smithd` serves; the other commands administer the data
 * directory (keys, migrations, history). Each command's code loads only when it runs.
 */
import { runProgram } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { registerHistory } from './commands/history/index.ts';
import { registerKeys } from './commands/keys/index.ts';
import { registerMigrate } from './commands/migrate/index.ts';
import { registerServe } from './commands/serve/index.ts';

const program = new Command('smithd')
  .description('DeploySmith control plane: versions from CI into GitOps repositories')
  .version('0.1.0');
registerServe(program);
registerKeys(program);
registerMigrate(program);
registerHistory(program);
await runProgram(program);
