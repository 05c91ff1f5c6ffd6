/** `smithctl status APP`: the app resource, with what runs in each environment. */
import { print, printJson } from '@deploysmith/cli-kit';
import { assertAppName } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { formatStatus } from '../../render/status.ts';

export async function status(app: string, options: CommandOptions): Promise<void> {
  assertAppName(app);
  await withSession(options, async ({ client, output }) => {
    const resource = await client.getApp(app);
    if (output.json) printJson(resource);
    else print(formatStatus(resource, output));
  });
}
