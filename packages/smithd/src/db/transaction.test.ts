import { join } from 'node:path';
import { tempDir } from '@deploysmith/testkit/temp';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connect.ts';
import { writeTransaction } from './transaction.ts';

describe('write transactions on SQLite', () => {
  it('rethrow the error that failed them even when SQLite had already rolled back (a full disk at commit)', async () => {
    const dir = await tempDir('transaction-');
    const database = await openDatabase({ kind: 'sqlite', path: join(dir.path, 'smithd.db') });
    try {
      const failure = await writeTransaction(database, async (trx) => {
        // What SQLite does by itself on SQLITE_FULL: the transaction is gone when the error arrives.
        await sql`rollback`.execute(trx);
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'SQLITE_FULL', message: 'database or disk is full' });
      // The connection is usable again.
      expect(
        await writeTransaction(
          database,
          async (trx) => (await sql<{ one: number }>`select 1 as one`.execute(trx)).rows,
        ),
      ).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await dir.remove();
    }
  });
});
