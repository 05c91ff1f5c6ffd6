/** Idempotency-Key → deployment, per app: a retried deploy request finds the deployment it made. */
import type { Kysely, Selectable } from 'kysely';
import type { IdempotencyKeysTable, Schema } from './schema.ts';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

export function getIdempotencyKey(
  db: Kysely<Schema>,
  app: string,
  key: string,
): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('app', '=', app)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function insertIdempotencyKey(db: Kysely<Schema>, row: IdempotencyRow): Promise<void> {
  await db.insertInto('idempotency_keys').values(row).execute();
}

/** Frees the keys of a deployment that failed, so a retry with the same key tries again. */
export async function releaseIdempotencyKeys(db: Kysely<Schema>, deploymentId: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('deployment_id', '=', deploymentId)
    .where('noop', '=', 0)
    .execute();
}
