/**
 * Options several commands share, declared once: where the repo is, how edits land (dry run,
 * commit, branch), and how to reach registries. Only commander is imported here, so --help stays fast.
 */
import { type Command, Option } from 'commander';

export interface RepoOptions {
  repo?: string;
  json?: boolean;
}

export interface EditOptions extends RepoOptions {
  dryRun?: boolean;
  commit?: boolean;
  branch?: string;
  message?: string;
}

export interface RegistryFlags {
  insecureRegistry?: string[];
  registryUsername?: string;
  registryPasswordStdin?: boolean;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function repoOptions(command: Command): Command {
  return command
    .option('--repo <dir>', 'the SMUD GitOps repository (default: the one around the current directory)')
    .option('--json', 'print one JSON document on stdout');
}

export function editOptions(command: Command): Command {
  return repoOptions(command)
    .option('--dry-run', 'print the diff and write nothing')
    .option('--commit', 'commit the edits of this run as one git commit')
    .option('--branch <name>', 'create this branch and commit on it (implies --commit), ready for a PR')
    .option(
      '-m, --message <subject>',
      'first line of the commit message (default: names product, stage and change)',
    );
}

export function registryOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--insecure-registry <host>',
        'reach this registry over plain HTTP (repeatable; loopback always is)',
      ).argParser(collect),
    )
    .option(
      '--registry-username <user>',
      'registry user (password from --registry-password-stdin or DEPLOYSMITH_REGISTRY_PASSWORD)',
    )
    .option('--registry-password-stdin', 'read the registry password from stdin');
}
