/** `smithctl apps register|list`. */
import { print, printJson } from '@deploysmith/cli-kit';
import { assertAppName, assertEnvironmentName, assertRepoName } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { formatAppsTable } from '../../render/status.ts';

export interface RegisterOptions extends CommandOptions {
  env: string[];
  repo?: string;
}

export async function registerApp(name: string, options: RegisterOptions): Promise<void> {
  assertAppName(name);
  for (const environment of options.env) assertEnvironmentName(environment);
  if (options.repo !== undefined) assertRepoName(options.repo);
  await withSession(options, async ({ client, output }) => {
    const app = await client.registerApp({
      name,
      environments: [...new Set(options.env)],
      ...(options.repo === undefined ? {} : { repo: options.repo }),
    });
    if (output.json) printJson(app);
    else
      print(`Registered ${app.name} in repo ${app.repo} with environments ${app.environments.join(', ')}.`);
  });
}

export async function listApps(options: CommandOptions): Promise<void> {
  await withSession(options, async ({ client, output }) => {
    const list = await client.listApps();
    if (output.json) printJson(list);
    else if (list.items.length === 0) print('No apps yet: `smithctl apps register APP --env ENV` adds one.');
    else print(formatAppsTable(list.items, output));
  });
}
