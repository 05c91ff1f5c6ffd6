/**
 * pilar: edits SMUD GitOps repositories the way feature teams release: digest bumps, promotions,
 * rollbacks, new feature products, group membership, and a doctor. Each command loads its own code
 * only when it runs.
 */
import { runProgram, withExamples } from '@deploysmith/cli-kit';
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

withExamples(program, [
  'pilar feature bump patientlist --stage development --image registry.dips.no/favn-feature-patientlist:1.4.0 --commit',
  'pilar feature promote patientlist --from development --to production --branch promote/patientlist-1.4.0',
  'pilar feature rollback patientlist --stage production --commit',
  'pilar feature list',
  'pilar doctor',
  'pilar resolve registry.dips.no/favn-feature-patientlist:1.4.0',
]);

await runProgram(program);
