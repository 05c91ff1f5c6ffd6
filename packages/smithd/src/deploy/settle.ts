/**
 * Settling pending deploys from git: a deploy recorded `pending` whose Deploy-Id trailer is on the
 * remote branch succeeded (with that commit); one whose trailer is not there failed. Runs at
 * start-up and, under the repo's lock, before every write to the repo.
 */
import { touchApps } from '../db/apps.ts';
import type { Database } from '../db/connect.ts';
import { type DeploymentRow, finishDeployment, pendingDeployments } from '../db/deployments.ts';
import { releaseIdempotencyKeys } from '../db/idempotency.ts';
import { writeTransaction } from '../db/transaction.ts';
import type { GitOpsRepo } from '../repo/types.ts';
import { applyPinEffect } from './pins.ts';

export const INTERRUPTED =
  'Interrupted before its commit reached the GitOps repository; nothing was deployed.';

export interface Settlement {
  succeeded: string[];
  failed: string[];
}

/** Settles the pending deploys of `repo`; throws (gitops_unreachable) when the remote cannot be read. */
export async function settlePending(
  database: Database,
  repo: GitOpsRepo,
  only?: DeploymentRow[],
  failureReason = INTERRUPTED,
): Promise<Settlement> {
  const pending = only ?? (await pendingDeployments(database.db, repo.config.name));
  if (pending.length === 0) return { succeeded: [], failed: [] };
  const found = await repo.findDeploys(pending.map((row) => row.id));
  const at = new Date().toISOString();
  await writeTransaction(database, async (trx) => {
    for (const row of pending) {
      const commit = found.get(row.id);
      if (commit === undefined) {
        await finishDeployment(trx, row.id, { status: 'failed', error: failureReason, at });
        await releaseIdempotencyKeys(trx, row.id);
      } else {
        await finishDeployment(trx, row.id, { status: 'succeeded', commit, at });
        await touchApps(trx, [row.app]);
        await applyPinEffect(trx, row, at);
      }
    }
  });
  return {
    succeeded: pending.filter((row) => found.has(row.id)).map((row) => row.id),
    failed: pending.filter((row) => !found.has(row.id)).map((row) => row.id),
  };
}
