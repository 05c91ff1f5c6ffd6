/** `smithctl login`: the key is tried against the server before anything is saved. */
import { createOutput, print, printJson } from '@deploysmith/cli-kit';
import { parseServerUrl, SmithClient } from '@deploysmith/client';
import { DeploySmithError } from '@deploysmith/core';
import { configPath } from '../../config/config.ts';
import { readConfig, writeConfig } from '../../config/config-file.ts';
import { assertContextName, DEFAULT_CONTEXT, saveContext } from '../../config/contexts.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { USER_AGENT } from '../../version.ts';

export async function login(options: CommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const output = createOutput({ json: options.json === true, env });
  const server = options.server ?? env.SMITH_URL;
  const apiKey = options.apiKey ?? env.SMITH_API_KEY;
  if (server === undefined || server === '' || apiKey === undefined || apiKey === '') {
    throw new DeploySmithError('invalid_input', 'login needs a server and an API key.', {
      hint: 'Run `smithctl login --server URL --api-key KEY` (SMITH_URL and SMITH_API_KEY work too).',
    });
  }
  const name = assertContextName(options.context ?? DEFAULT_CONTEXT);
  const url = parseServerUrl(server).href.replace(/\/$/, '');

  // Any route but the health checks needs a valid key: a wrong key fails here, before it is saved.
  const client = new SmithClient({ server: url, apiKey, userAgent: USER_AGENT });
  try {
    await client.listApps();
  } finally {
    await client.close();
  }

  const path = configPath(env);
  await writeConfig(path, saveContext(await readConfig(path), name, { server: url, apiKey }));
  if (output.json) printJson({ context: name, server: url, config: path });
  else print(`Logged in to ${url}; context "${name}" is now current (saved in ${path}).`);
}
