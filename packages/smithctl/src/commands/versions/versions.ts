/** `smithctl versions APP` and `versions show APP ID`. */
import { print, printDiagnostic, printJson } from '@deploysmith/cli-kit';
import { assertAppName, assertVersionId, type VersionList } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { fetchPages } from '../../connection/pages.ts';
import { formatVersionDetail, formatVersionsTable } from '../../render/versions.ts';

export interface VersionsOptions extends CommandOptions {
  limit?: number;
  branch?: string;
  cursor?: string;
  all?: boolean;
}

export async function listVersions(app: string, options: VersionsOptions): Promise<void> {
  assertAppName(app);
  await withSession(options, async ({ client, output }) => {
    const query = {
      limit: options.limit ?? (options.all ? 500 : 20),
      ...(options.branch === undefined ? {} : { branch: options.branch }),
    };
    const { items, nextCursor } = await fetchPages(
      (cursor) => client.listVersions(app, { ...query, ...(cursor === undefined ? {} : { cursor }) }),
      options,
    );
    if (output.json) {
      printJson({ items, nextCursor } satisfies VersionList);
      return;
    }
    if (items.length === 0) {
      print(
        options.branch === undefined
          ? `${app} has no versions yet: \`forge publish\` in CI adds them.`
          : `${app} has no versions from a branch matching ${options.branch}.`,
      );
      return;
    }
    print(formatVersionsTable(items, output));
    if (nextCursor !== null) {
      printDiagnostic(
        output.color.dim(`More versions: smithctl versions ${app} --cursor ${nextCursor} (or --all)`),
      );
    }
  });
}

export async function showVersion(app: string, id: string, options: CommandOptions): Promise<void> {
  assertAppName(app);
  assertVersionId(id);
  await withSession(options, async ({ client, output }) => {
    const version = await client.getVersion(app, id);
    if (output.json) printJson(version);
    else print(formatVersionDetail(version, output));
  });
}
