/**
 * The smithctl command tree. Only declarations live here and in `commands/<name>/index.ts`; each
 * action imports its implementation when it runs, so `--help` loads nothing else.
 */
import { Command } from 'commander';
import { declareApps } from './commands/apps/index.ts';
import { declareCompletion } from './commands/completion/index.ts';
import { declareContext } from './commands/context/index.ts';
import { declareDeploy } from './commands/deploy/index.ts';
import { declareHistory } from './commands/history/index.ts';
import { declareLogin } from './commands/login/index.ts';
import { declarePolicy } from './commands/policy/index.ts';
import { declareRollback } from './commands/rollback/index.ts';
import { declareStatus } from './commands/status/index.ts';
import { declareUnpin } from './commands/unpin/index.ts';
import { declareVersions } from './commands/versions/index.ts';
import { VERSION } from './version.ts';

export function buildProgram(): Command {
  const program = new Command('smithctl')
    .description('Deploy, roll back, and see what runs where: the developer CLI of DeploySmith.')
    .version(VERSION, '--version', 'print the smithctl version')
    .option('--server <url>', 'smithd URL (overrides SMITH_URL and the context)')
    .option('--api-key <key>', 'API key (overrides SMITH_API_KEY and the context)')
    .option('--context <name>', 'use this saved context instead of the current one')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError('(add --help for usage)');
  declareLogin(program);
  declareContext(program);
  declareApps(program);
  declareVersions(program);
  declareDeploy(program);
  declareRollback(program);
  declareStatus(program);
  declareHistory(program);
  declarePolicy(program);
  declareUnpin(program);
  declareCompletion(program);
  program.addHelpText(
    'after',
    `
Settings come from flags, then SMITH_URL / SMITH_API_KEY, then the context (\`smithctl login\`).

Exit codes: 0 ok, 1 invalid input, 2 refused by smithd, 3 smithd unreachable, 4 API key missing or
wrong, 5 confirmation needed, 70 bug.`,
  );
  return program;
}
