/**
 * A revision per app, bumped in the same transaction as every change to what its version list
 * shows (versions, succeeded deployments): cached answers are keyed by it, so a replica or another
 * smithd command that changes the app makes them stale at once.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('revision', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('revision').execute();
}
