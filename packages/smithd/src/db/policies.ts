/** Auto-deploy policies: per app and environment, a branch glob and/or a tag glob. */
import type { Policy } from '@deploysmith/core';
import type { Kysely, Selectable } from 'kysely';
import type { PoliciesTable, Schema } from './schema.ts';

export type PolicyRow = Selectable<PoliciesTable>;

export function toPolicy(row: PolicyRow): Policy {
  return {
    app: row.app,
    environment: row.environment,
    branch: row.branch,
    tag: row.tag,
    updatedAt: row.updated_at,
  };
}

export function listPolicies(db: Kysely<Schema>, app: string): Promise<PolicyRow[]> {
  return db.selectFrom('policies').selectAll().where('app', '=', app).orderBy('environment').execute();
}

export function getPolicy(
  db: Kysely<Schema>,
  app: string,
  environment: string,
): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('policies')
    .selectAll()
    .where('app', '=', app)
    .where('environment', '=', environment)
    .executeTakeFirst();
}

export async function putPolicy(db: Kysely<Schema>, row: PolicyRow): Promise<void> {
  await db
    .insertInto('policies')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['app', 'environment'])
        .doUpdateSet({ branch: row.branch, tag: row.tag, updated_at: row.updated_at }),
    )
    .execute();
}

export async function deletePolicy(db: Kysely<Schema>, app: string, environment: string): Promise<boolean> {
  const result = await db
    .deleteFrom('policies')
    .where('app', '=', app)
    .where('environment', '=', environment)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
