/** Rollback pins: an app held at a version in one environment, which auto-deploy leaves alone. */
import type { Pin } from '@deploysmith/core';
import type { Kysely, Selectable } from 'kysely';
import type { PinsTable, Schema } from './schema.ts';

export type PinRow = Selectable<PinsTable>;

export function toPin(row: PinRow): Pin {
  return {
    app: row.app,
    environment: row.environment,
    version: row.version,
    pinnedBy: row.pinned_by,
    pinnedAt: row.pinned_at,
  };
}

export function listPins(db: Kysely<Schema>, app: string): Promise<PinRow[]> {
  return db.selectFrom('pins').selectAll().where('app', '=', app).execute();
}

export function getPin(db: Kysely<Schema>, app: string, environment: string): Promise<PinRow | undefined> {
  return db
    .selectFrom('pins')
    .selectAll()
    .where('app', '=', app)
    .where('environment', '=', environment)
    .executeTakeFirst();
}

export async function setPin(db: Kysely<Schema>, row: PinRow): Promise<void> {
  await db
    .insertInto('pins')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['app', 'environment'])
        .doUpdateSet({ version: row.version, pinned_by: row.pinned_by, pinned_at: row.pinned_at }),
    )
    .execute();
}

export async function deletePin(db: Kysely<Schema>, app: string, environment: string): Promise<boolean> {
  const result = await db
    .deleteFrom('pins')
    .where('app', '=', app)
    .where('environment', '=', environment)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countPins(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('pins')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
