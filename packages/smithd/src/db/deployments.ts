/** Deployment rows: every deploy smithd attempted, in the order it recorded them (`seq`). */
import type { Deployment } from '@deploysmith/core';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DeploymentsTable, Schema } from './schema.ts';

export type DeploymentRow = Selectable<DeploymentsTable>;
export type NewDeployment = Insertable<DeploymentsTable>;

export function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    app: row.app,
    environment: row.environment,
    version: row.version,
    kind: row.kind,
    status: row.status,
    commit: row.commit,
    previousVersion: row.previous_version,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

export async function insertDeployment(db: Kysely<Schema>, row: NewDeployment): Promise<void> {
  await db.insertInto('deployments').values(row).execute();
}

export function getDeployment(db: Kysely<Schema>, id: string): Promise<DeploymentRow | undefined> {
  return db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function finishDeployment(
  db: Kysely<Schema>,
  id: string,
  outcome:
    | { status: 'succeeded'; commit: string; at: string }
    | { status: 'failed'; error: string; at: string },
): Promise<void> {
  await db
    .updateTable('deployments')
    .set(
      outcome.status === 'succeeded'
        ? { status: 'succeeded', commit: outcome.commit, finished_at: outcome.at, error: null }
        : { status: 'failed', error: outcome.error, finished_at: outcome.at },
    )
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export function currentDeployment(
  db: Kysely<Schema>,
  app: string,
  environment: string,
): Promise<DeploymentRow | undefined> {
  return db
    .selectFrom('deployments')
    .selectAll()
    .where('app', '=', app)
    .where('environment', '=', environment)
    .where('status', '=', 'succeeded')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface DeploymentPageQuery {
  app: string;
  environment?: string;
  limit: number;
  before?: number;
}

export function listDeploymentRows(db: Kysely<Schema>, query: DeploymentPageQuery): Promise<DeploymentRow[]> {
  let select = db.selectFrom('deployments').selectAll().where('app', '=', query.app);
  if (query.environment !== undefined) select = select.where('environment', '=', query.environment);
  if (query.before !== undefined) select = select.where('seq', '<', query.before);
  return select.orderBy('seq', 'desc').limit(query.limit).execute();
}

export function pendingDeployments(db: Kysely<Schema>, repo?: string): Promise<DeploymentRow[]> {
  let select = db.selectFrom('deployments').selectAll().where('status', '=', 'pending');
  if (repo !== undefined) select = select.where('repo', '=', repo);
  return select.orderBy('seq').execute();
}

export function deploymentsById(db: Kysely<Schema>, ids: string[]): Promise<DeploymentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('deployments').selectAll().where('id', 'in', ids).orderBy('seq').execute();
}

export async function countDeployments(db: Kysely<Schema>, repo?: string): Promise<number> {
  let select = db.selectFrom('deployments').select((eb) => eb.fn.countAll<number>().as('count'));
  if (repo !== undefined) select = select.where('repo', '=', repo);
  const row = await select.executeTakeFirstOrThrow();
  return Number(row.count);
}
