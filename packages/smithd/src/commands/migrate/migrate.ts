/** `smithd migrate`: runs the migrations the database has not seen yet. */
import { print, printJson } from '@deploysmith/cli-kit';
import type { ConfigFlags } from '../../config/layers.ts';
import { loadConfig } from '../../config/resolve.ts';
import { openDatabase } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';

export async function migrateCommand(flags: ConfigFlags & { json?: boolean }): Promise<void> {
  const database = await openDatabase(loadConfig({ flags }).database);
  try {
    const applied = await migrateToLatest(database.db);
    if (flags.json) printJson({ applied });
    else print(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.join(', ')}`);
  } finally {
    await database.close();
  }
}
