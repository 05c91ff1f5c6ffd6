import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/layers.ts';
import { addConfigOptions } from '../config-options.ts';

type KeyFlags = ConfigFlags & { json?: boolean };

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Create, list and revoke API keys');

  const create = addConfigOptions(
    keys.command('create').description('Create an API key and print it once (only its hash is stored)'),
  )
    .requiredOption('--name <name>', 'who or what uses the key; deployments record it as requestedBy')
    .option('--json', 'print one JSON document');
  withExamples(create, ['smithd keys create --name ci', 'smithd keys create --name alice --json']);
  create.action(async (flags: KeyFlags & { name: string }) => {
    const { createKeyCommand } = await import('./keys.ts');
    await createKeyCommand(flags);
  });

  const list = addConfigOptions(
    keys.command('list').description('List API keys (never the keys themselves)'),
  ).option('--json', 'print one JSON document');
  withExamples(list, ['smithd keys list', 'smithd keys list --json']);
  list.action(async (flags: KeyFlags) => {
    const { listKeysCommand } = await import('./keys.ts');
    await listKeysCommand(flags);
  });

  const revoke = addConfigOptions(
    keys
      .command('revoke')
      .description('Revoke an API key by id or name: it stops working at once')
      .argument('<id-or-name>'),
  ).option('--json', 'print one JSON document');
  withExamples(revoke, ['smithd keys revoke ci', 'smithd keys revoke 3f1c…']);
  revoke.action(async (idOrName: string, flags: KeyFlags) => {
    const { revokeKeyCommand } = await import('./keys.ts');
    await revokeKeyCommand(idOrName, flags);
  });
}
