/** `smithctl unpin APP --env ENV`: says whose pin it lifted, or that there was none. */
import { formatAge, print, printJson } from '@deploysmith/cli-kit';
import { assertAppName, assertEnvironmentName, DeploySmithError } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';

export interface UnpinOptions extends CommandOptions {
  env: string;
}

export async function unpin(app: string, options: UnpinOptions): Promise<void> {
  assertAppName(app);
  assertEnvironmentName(options.env);
  await withSession(options, async ({ client, output }) => {
    const status = (await client.getApp(app)).status.find((entry) => entry.environment === options.env);
    if (status === undefined) {
      throw new DeploySmithError('not_found', `${app} has no environment "${options.env}".`, {
        fromServer: true,
        hint: `\`smithctl status ${app}\` lists its environments.`,
      });
    }
    const pin = status.pin;
    if (pin !== null) await client.unpin(app, options.env);
    if (output.json) {
      printJson({ app, environment: options.env, unpinned: pin });
      return;
    }
    if (pin === null) print(`${app} is not pinned in ${options.env}; nothing changed.`);
    else {
      print(
        `Unpinned ${app} in ${options.env} (pinned to ${pin.version} by ${pin.pinnedBy} ${formatAge(pin.pinnedAt)}): auto-deploy policies apply again.`,
      );
    }
  });
}
