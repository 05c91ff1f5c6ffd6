/**
 * forge, the CI CLI. This file only declares the commands; each command's code is loaded by its
 * action (`import()`), so `forge --help` parses one small module.
 */
import { runProgram } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { buildCommand } from './commands/build/index.ts';
import { metadataCommand } from './commands/metadata/index.ts';
import { publishCommand } from './commands/publish/index.ts';
import { validateCommand } from './commands/validate/index.ts';
import { versionCommand } from './commands/version/index.ts';

const program = new Command('forge')
  .description(
    'Forge versions in CI and deliver them to smithd: metadata, validation, bundle, draft, upload, publish.',
  )
  .showHelpAfterError()
  .addCommand(publishCommand())
  .addCommand(validateCommand())
  .addCommand(versionCommand())
  .addCommand(metadataCommand())
  .addCommand(buildCommand());

program.addHelpText(
  'after',
  '\nEnvironment:\n  SMITH_URL, SMITH_API_KEY   smithd and its key (or --server, --api-key)\n  CI, NO_COLOR               plain output without colours or spinners\n\nExit codes: 0 ok, 1 invalid input, 2 rejected by smithd, 3 smithd unreachable, 4 unauthorized, 70 bug.\n',
);

await runProgram(program);
