/**
 * Flags shared by the commands that build version metadata (version, metadata, publish). Declared
 * here, without importing the code that reads them, so `forge --help` stays small.
 */
import type { Command } from 'commander';

export function addMetadataOptions(command: Command): Command {
  return command
    .option('--version <id>', 'version id to use instead of <short sha>-<build number>')
    .option('--git-sha <sha>', 'commit the version is built from (default: CI variable, then HEAD)')
    .option('--branch <name>', 'branch (default: CI variable, then the checked-out branch)')
    .option('--tag <name>', 'tag (default: CI variable, then a tag pointing at the commit)')
    .option('--committer <name>', 'committer (default: the commit’s committer)')
    .option('--build-number <n>', 'CI build number (default: CI variable)')
    .option('--pipeline-url <url>', 'link to the CI run (default: CI variable)')
    .option(
      '--created-at <time>',
      'ISO 8601 build time (default: pipeline start if the CI gives it, else commit date)',
    );
}

export function addServerOptions(command: Command): Command {
  return command
    .option('--server <url>', 'smithd URL (default: $SMITH_URL)')
    .option('--api-key <key>', 'API key (default: $SMITH_API_KEY)');
}
