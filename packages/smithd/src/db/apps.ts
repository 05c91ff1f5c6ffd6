/** App rows. */
import type { Kysely, Selectable } from 'kysely';
import type { AppsTable, Schema } from './schema.ts';

export type AppRow = Selectable<AppsTable>;

export function appEnvironments(row: AppRow): string[] {
  return JSON.parse(row.environments) as string[];
}

export function getApp(db: Kysely<Schema>, name: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listApps(db: Kysely<Schema>): Promise<AppRow[]> {
  return db.selectFrom('apps').selectAll().orderBy('name').execute();
}

export async function insertApp(db: Kysely<Schema>, row: AppRow): Promise<void> {
  await db.insertInto('apps').values(row).execute();
}
