/** API key rows. */
import { randomUUID } from 'node:crypto';
import type { ApiKeyInfo } from '@deploysmith/core';
import type { Kysely, Selectable } from 'kysely';
import { precompiled } from './precompiled.ts';
import type { ApiKeysTable, Schema } from './schema.ts';

export type ApiKeyRow = Selectable<ApiKeysTable>;

export function toApiKeyInfo(row: ApiKeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertKey(
  db: Kysely<Schema>,
  key: { name: string; prefix: string; hash: string; createdAt: string },
): Promise<ApiKeyRow> {
  const row: ApiKeyRow = {
    id: randomUUID(),
    name: key.name,
    prefix: key.prefix,
    hash: key.hash,
    created_at: key.createdAt,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return row;
}

const activeKeysByPrefix = precompiled((db) =>
  db.selectFrom('api_keys').selectAll().where('prefix', '=', '').where('revoked_at', 'is', null),
);

/** Runs on every request: precompiled. */
export function findActiveKeysByPrefix(db: Kysely<Schema>, prefix: string): Promise<ApiKeyRow[]> {
  return activeKeysByPrefix(db, prefix);
}

export function listKeys(db: Kysely<Schema>): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('name').execute();
}

export async function countActiveKeys(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Active keys whose id or name is `idOrName`. */
export function findActiveKeys(db: Kysely<Schema>, idOrName: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeKey(db: Kysely<Schema>, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).execute();
}
