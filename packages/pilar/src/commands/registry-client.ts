/** The registry client a command uses, built from flags, environment and `.pilar.yaml`. */
import { text } from 'node:stream/consumers';
import { DeploySmithError } from '@deploysmith/core';
import { RegistryClient } from '@deploysmith/registry';
import type { SmudRepo } from '../repo/smud-repo.ts';
import type { RegistryFlags } from './options.ts';

export async function registryClient(flags: RegistryFlags, repo?: SmudRepo): Promise<RegistryClient> {
  const insecureRegistries = [...(flags.insecureRegistry ?? []), ...(repo?.config.insecureRegistries ?? [])];
  let password: string | undefined;
  if (flags.registryPasswordStdin) {
    password = (await text(process.stdin)).replace(/\r?\n$/, '');
  } else if (flags.registryUsername !== undefined) {
    password = process.env.DEPLOYSMITH_REGISTRY_PASSWORD;
  }
  if (flags.registryUsername === undefined && password !== undefined) {
    throw new DeploySmithError('invalid_input', '--registry-password-stdin needs --registry-username');
  }
  if (flags.registryUsername !== undefined && password === undefined) {
    throw new DeploySmithError('invalid_input', `No password for registry user ${flags.registryUsername}`, {
      hint: 'Pipe it into --registry-password-stdin, or set DEPLOYSMITH_REGISTRY_PASSWORD.',
    });
  }
  return new RegistryClient({
    insecureRegistries,
    ...(flags.registryUsername === undefined || password === undefined
      ? {}
      : { credentials: [{ username: flags.registryUsername, password }] }),
  });
}
