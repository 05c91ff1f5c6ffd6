/** App rows. */
import type { Kysely, Selectable } from 'kysely';
import { precompiled } from './precompiled.ts';
import type { AppsTable, Schema } from './schema.ts';

export type AppRow = Selectable<AppsTable>;

export function appEnvironments(row: AppRow): string[] {
  return JSON.parse(row.environments) as string[];
}

const appByName = precompiled((db) => db.selectFrom('apps').selectAll().where('name', '=', ''));

/** Runs on almost every request: precompiled. */
export async function getApp(db: Kysely<Schema>, name: string): Promise<AppRow | undefined> {
  const [row] = await appByName(db, name);
  return row;
}

export function listApps(db: Kysely<Schema>): Promise<AppRow[]> {
  return db.selectFrom('apps').selectAll().orderBy('name').execute();
}

/** Marks the app's version list as changed; call in the transaction that changes it. */
export async function touchApps(db: Kysely<Schema>, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await db
    .updateTable('apps')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('name', 'in', [...new Set(names)])
    .execute();
}

export async function insertApp(db: Kysely<Schema>, row: AppRow): Promise<void> {
  await db.insertInto('apps').values(row).execute();
}
