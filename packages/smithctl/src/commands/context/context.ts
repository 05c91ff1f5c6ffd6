/** `smithctl context list|use|rm`: edits of the contexts file; no server is contacted. */
import { createOutput, formatTable, print, printJson } from '@deploysmith/cli-kit';
import { configPath } from '../../config/config.ts';
import { readConfig, writeConfig } from '../../config/config-file.ts';
import { listContexts, removeContext, useContext } from '../../config/contexts.ts';
import type { CommandOptions } from '../../connection/options.ts';

export async function listContextsCommand(
  options: CommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const output = createOutput({ json: options.json === true, env });
  const config = await readConfig(configPath(env));
  const contexts = listContexts(config);
  if (output.json) {
    printJson({ currentContext: config.currentContext, contexts });
    return;
  }
  if (contexts.length === 0) {
    print('No contexts yet: `smithctl login --server URL --api-key KEY` adds one.');
    return;
  }
  const rows = contexts.map((context) => [
    context.current ? output.color.green('*') : '',
    context.current ? output.color.bold(context.name) : context.name,
    context.server,
  ]);
  print(formatTable(['CURRENT', 'NAME', 'SERVER'], rows, output));
}

export async function useContextCommand(
  name: string,
  options: CommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const output = createOutput({ json: options.json === true, env });
  const path = configPath(env);
  const config = useContext(await readConfig(path), name);
  await writeConfig(path, config);
  if (output.json) printJson({ currentContext: name });
  else print(`Context "${name}" (${config.contexts[name]?.server}) is now current.`);
}

export async function removeContextCommand(
  name: string,
  options: CommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const output = createOutput({ json: options.json === true, env });
  const path = configPath(env);
  const before = await readConfig(path);
  const config = removeContext(before, name);
  await writeConfig(path, config);
  if (output.json) {
    printJson({ removed: name, currentContext: config.currentContext });
    return;
  }
  const note =
    before.currentContext === name
      ? ' There is no current context now: `smithctl context use NAME` picks one.'
      : '';
  print(`Removed context "${name}".${note}`);
}
