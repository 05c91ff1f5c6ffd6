/**
 * pilar: edits SMUD GitOps repositories the way feature teams release: digest bumps, promotions,
 * rollbacks, new feature products, group membership, and a doctor. Each command loads its own code
 * only when it runs.
 */
import { runProgram } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { doctorCommand } from './commands/doctor/index.ts';
import { featureCommand } from './commands/feature/index.ts';
import { groupCommand } from './commands/group/index.ts';
import { productCommand } from './commands/product/index.ts';
import { resolveCommand } from './commands/resolve/index.ts';

const program = new Command('pilar')
  .description(
    'Release, promote and roll back features in a SMUD GitOps repository, with images pinned by digest',
  )
  .version('0.1.0')
  .showHelpAfterError()
  .addCommand(featureCommand())
  .addCommand(productCommand())
  .addCommand(groupCommand())
  .addCommand(doctorCommand())
  .addCommand(resolveCommand());

await runProgram(program);
