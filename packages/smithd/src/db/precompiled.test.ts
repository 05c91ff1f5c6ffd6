import { join } from 'node:path';
import { tempDir } from '@deploysmith/testkit/temp';
import { describe, expect, it } from 'vitest';
import { getApp, insertApp, touchApps } from './apps.ts';
import { openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { writeTransaction } from './transaction.ts';

/** The app both tests write and look up. */
const row = {
  name: 'web',
  repo: 'gitops',
  environments: '["staging"]',
  created_at: '2026-11-26T00:00:00.000Z',
  revision: 0,
};

describe('per-request lookups on SQLite', () => {
  it('never see the uncommitted writes of a transaction another request has open', async () => {
    await using dir = await tempDir('precompiled-');
    const database = await openDatabase({ kind: 'sqlite', path: join(dir.path, 'smithd.db') });
    try {
      await migrateToLatest(database.db);
      let commit = () => {};
      const writing = writeTransaction(database, async (trx) => {
        await insertApp(trx, row);
        await new Promise<void>((resolve) => {
          commit = resolve;
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      let seen: unknown = 'not yet';
      const reading = getApp(database.db, 'web').then((app) => {
        seen = app;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Neither the uncommitted row nor "no such app": the lookup waits for the transaction.
      expect(seen).toBe('not yet');
      commit();
      await Promise.all([writing, reading]);
      expect(seen).toEqual(row);
      // With no transaction open, the lookup answers at once.
      expect(await getApp(database.db, 'web')).toEqual(row);
    } finally {
      await database.close();
    }
  });

  it('answer from what they kept until any connection commits, such as a `smithd` command in another process', async () => {
    await using dir = await tempDir('precompiled-');
    const path = join(dir.path, 'smithd.db');
    const server = await openDatabase({ kind: 'sqlite', path });
    const command = await openDatabase({ kind: 'sqlite', path });
    try {
      await migrateToLatest(command.db);
      expect(await getApp(server.db, 'web')).toBeUndefined();
      await insertApp(command.db, row);
      const kept = await getApp(server.db, 'web');
      expect(kept).toEqual(row);
      expect(await getApp(server.db, 'web')).toBe(kept);
      // Callers share a kept row: it cannot be changed under the others.
      expect(() => {
        (kept as { revision: number }).revision = 7;
      }).toThrow(TypeError);
      await touchApps(command.db, ['web']);
      expect((await getApp(server.db, 'web'))?.revision).toBe(1);
      // The server's own commits count as well.
      await touchApps(server.db, ['web']);
      expect((await getApp(server.db, 'web'))?.revision).toBe(2);
    } finally {
      await command.close();
      await server.close();
    }
  });
});
