/** Migrations run at start-up (and by `smithd migrate`): the same ordered files on both dialects. */
import { DeploySmithError } from '@deploysmith/core';
import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import * as init from './migrations/0001_init.ts';
import * as appRevision from './migrations/0002_app_revision.ts';

const migrations: Record<string, Migration> = {
  '0001_init': init,
  '0002_app_revision': appRevision,
};

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new DeploySmithError(
      'database_unavailable',
      `Database migration ${failed} failed: ${(error as Error).message}`,
      {
        hint: 'The database was left at the last migration that succeeded; fix the cause and start smithd again.',
        cause: error,
      },
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
