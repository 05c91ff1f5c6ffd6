/** `smithctl history APP [--env ENV]`. */
import { print, printDiagnostic, printJson } from '@deploysmith/cli-kit';
import { assertAppName, assertEnvironmentName, type DeploymentList } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { fetchPages } from '../../connection/pages.ts';
import { formatHistory } from '../../render/history.ts';

export interface HistoryOptions extends CommandOptions {
  env?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
}

export async function history(app: string, options: HistoryOptions): Promise<void> {
  assertAppName(app);
  if (options.env !== undefined) assertEnvironmentName(options.env);
  await withSession(options, async ({ client, output }) => {
    const query = {
      limit: options.limit ?? (options.all ? 500 : 20),
      ...(options.env === undefined ? {} : { environment: options.env }),
    };
    const { items, nextCursor } = await fetchPages(
      (cursor) => client.listDeployments(app, { ...query, ...(cursor === undefined ? {} : { cursor }) }),
      options,
    );
    if (output.json) {
      printJson({ items, nextCursor } satisfies DeploymentList);
      return;
    }
    if (items.length === 0) {
      print(`No deploys of ${app}${options.env === undefined ? '' : ` to ${options.env}`} yet.`);
      return;
    }
    print(formatHistory(items, output));
    if (nextCursor !== null) {
      const env = options.env === undefined ? '' : ` --env ${options.env}`;
      printDiagnostic(
        output.color.dim(`More deploys: smithctl history ${app}${env} --cursor ${nextCursor} (or --all)`),
      );
    }
  });
}
