/**
 * `smithd history rebuild --repo NAME`. It reads the repository through a fresh clone of its own,
 * so it never touches the working clone of a smithd that may be running.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print, printJson } from '@deploysmith/cli-kit';
import { DeploySmithError } from '@deploysmith/core';
import type { ConfigFlags } from '../../config/layers.ts';
import { loadConfig } from '../../config/resolve.ts';
import { openMigratedDatabase } from '../../context.ts';
import { rebuildHistory } from '../../deploy/history.ts';
import { createGitOpsRepo } from '../../repo/index.ts';

export async function rebuildCommand(flags: ConfigFlags & { repo: string; json?: boolean }): Promise<void> {
  const config = loadConfig({ flags });
  const repoConfig = config.repos.find((repo) => repo.name === flags.repo);
  if (!repoConfig) {
    throw new DeploySmithError('invalid_input', `No GitOps repository named ${flags.repo} is configured.`, {
      hint: `Configured: ${config.repos.map((repo) => repo.name).join(', ')}.`,
    });
  }
  const workDir = await mkdtemp(join(tmpdir(), 'smithd-history-'));
  const database = await openMigratedDatabase(config);
  try {
    const repo = createGitOpsRepo(repoConfig, {
      workDir: join(workDir, repoConfig.name),
      kustomizeCheck: 'never',
    });
    await repo.open();
    const result = await rebuildHistory(database, repo);
    if (flags.json) printJson(result);
    else {
      print(
        `Rebuilt ${result.deployments} deployment(s) of repository ${result.repo} from its commit trailers.`,
      );
      if (!result.pinsRestored) print('Pins were left as they are (the pins table was not empty).');
    }
  } finally {
    await database.close();
    await rm(workDir, { recursive: true, force: true });
  }
}
