/**
 * `smithd history rebuild`: when the database is lost and the GitOps repo is not, the deployment
 * history comes back from the commits' trailers (Deploy-Id, App, Version, Environment, Kind,
 * Requested-By), oldest first, with the pins the rollbacks among them set.
 */
import { DeploySmithError } from '@deploysmith/core';
import { touchApps } from '../db/apps.ts';
import type { Database } from '../db/connect.ts';
import { countDeployments, type DeploymentRow, insertDeployment } from '../db/deployments.ts';
import { countPins } from '../db/pins.ts';
import { writeTransaction } from '../db/transaction.ts';
import type { GitOpsRepo } from '../repo/types.ts';
import { applyPinEffect } from './pins.ts';

export interface RebuildResult {
  repo: string;
  deployments: number;
  pinsRestored: boolean;
}

export async function rebuildHistory(database: Database, repo: GitOpsRepo): Promise<RebuildResult> {
  const name = repo.config.name;
  const existing = await countDeployments(database.db, name);
  if (existing > 0) {
    throw new DeploySmithError(
      'conflict',
      `The database already holds ${existing} deployment(s) of repository ${name}; history rebuild only fills an empty history.`,
      { hint: 'It is meant for a lost database. Start from an empty deployments table to rebuild from git.' },
    );
  }
  const commits = await repo.history();
  // Pins are restored only into an empty pins table: one set later by hand is not overwritten.
  const restorePins = (await countPins(database.db)) === 0;
  await writeTransaction(database, async (trx) => {
    const previous = new Map<string, string>();
    const seen = new Set<string>();
    let seq = 0;
    for (const commit of commits) {
      // A deploy id is written once; a repeated trailer (a cherry-pick) is not a second deploy.
      if (seen.has(commit.deployId)) continue;
      seen.add(commit.deployId);
      const slot = `${commit.app}\u0000${commit.environment}`;
      const row: Omit<DeploymentRow, 'seq'> = {
        id: commit.deployId,
        repo: name,
        app: commit.app,
        environment: commit.environment,
        version: commit.version,
        kind: commit.kind,
        status: 'succeeded',
        commit: commit.commit,
        previous_version: previous.get(slot) ?? null,
        requested_by: commit.requestedBy,
        created_at: commit.committedAt,
        finished_at: commit.committedAt,
        error: null,
      };
      await insertDeployment(trx, row);
      if (restorePins) await applyPinEffect(trx, { ...row, seq: ++seq }, commit.committedAt);
      previous.set(slot, commit.version);
    }
    await touchApps(
      trx,
      commits.map((commit) => commit.app),
    );
  });
  return { repo: name, deployments: new Set(commits.map((c) => c.deployId)).size, pinsRestored: restorePins };
}
