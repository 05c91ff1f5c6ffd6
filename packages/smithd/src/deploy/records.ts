/**
 * The database side of one deploy, each step one transaction: recorded pending (with its
 * Idempotency-Key) before the git write, then succeeded (with the pin it sets or lifts) or failed
 * (freeing the key so a retry tries again).
 */
import { touchApps } from '../db/apps.ts';
import type { Database } from '../db/connect.ts';
import {
  type DeploymentRow,
  finishDeployment,
  getDeployment,
  insertDeployment,
  type NewDeployment,
} from '../db/deployments.ts';
import { insertIdempotencyKey, releaseIdempotencyKeys } from '../db/idempotency.ts';
import { writeTransaction } from '../db/transaction.ts';
import { applyPinEffect } from './pins.ts';

export async function recordPending(
  database: Database,
  row: NewDeployment,
  idempotencyKey?: string,
): Promise<void> {
  await writeTransaction(database, async (trx) => {
    await insertDeployment(trx, row);
    if (idempotencyKey !== undefined) await bindKey(trx, row, idempotencyKey, false);
  });
}

/** A deploy of what already runs writes nothing but the key, so a replay answers the same. */
export async function recordNoop(
  database: Database,
  current: DeploymentRow,
  idempotencyKey: string,
): Promise<void> {
  await writeTransaction(database, (trx) => bindKey(trx, current, idempotencyKey, true));
}

export async function recordSucceeded(
  database: Database,
  id: string,
  commit: string,
): Promise<DeploymentRow> {
  const at = new Date().toISOString();
  return writeTransaction(database, async (trx) => {
    await finishDeployment(trx, id, { status: 'succeeded', commit, at });
    const row = await getDeployment(trx, id);
    if (!row) throw new Error(`deployment ${id} vanished before it was recorded as succeeded`);
    await touchApps(trx, [row.app]);
    await applyPinEffect(trx, row, at);
    return row;
  });
}

export async function recordFailed(database: Database, id: string, reason: string): Promise<void> {
  await writeTransaction(database, async (trx) => {
    await finishDeployment(trx, id, { status: 'failed', error: reason, at: new Date().toISOString() });
    await releaseIdempotencyKeys(trx, id);
  });
}

function bindKey(
  trx: Parameters<Parameters<typeof writeTransaction>[1]>[0],
  deployment: Pick<NewDeployment, 'id' | 'app' | 'environment' | 'version'>,
  key: string,
  noop: boolean,
): Promise<void> {
  return insertIdempotencyKey(trx, {
    app: deployment.app,
    key,
    deployment_id: deployment.id,
    environment: deployment.environment,
    version: deployment.version,
    noop: noop ? 1 : 0,
    created_at: new Date().toISOString(),
  });
}
