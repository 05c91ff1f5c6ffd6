import { join } from 'node:path';
import { tempDir } from '@deploysmith/testkit/temp';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { watchCommits } from './commit-watch.ts';

describe('watchCommits', () => {
  it('sees every commit, by this connection or another, and nothing else', async () => {
    await using dir = await tempDir('commit-watch-');
    const path = join(dir.path, 'data.db');
    const ours = new BetterSqlite3(path);
    const theirs = new BetterSqlite3(path);
    const watch = watchCommits(path);
    try {
      ours.pragma('journal_mode = WAL');
      ours.exec('create table t (n integer)');
      expect(watch.unchanged()).toBe(false);
      expect(watch.unchanged()).toBe(true);
      // Reads do not count.
      theirs.prepare('select count(*) from t').get();
      ours.prepare('select count(*) from t').get();
      expect(watch.unchanged()).toBe(true);
      theirs.prepare('insert into t values (1)').run();
      expect(watch.unchanged()).toBe(false);
      expect(watch.unchanged()).toBe(true);
      ours.prepare('insert into t values (2)').run();
      expect(watch.unchanged()).toBe(false);
      // A transaction counts when it commits, not before.
      theirs.exec('begin immediate');
      theirs.prepare('insert into t values (3)').run();
      expect(watch.unchanged()).toBe(true);
      theirs.exec('commit');
      expect(watch.unchanged()).toBe(false);
      // A rolled-back one never counts.
      theirs.exec('begin immediate');
      theirs.prepare('insert into t values (4)').run();
      theirs.exec('rollback');
      expect(watch.unchanged()).toBe(true);
    } finally {
      watch.close();
      theirs.close();
      ours.close();
    }
  });

  it('says "changed" while there is no wal-index to read, so nothing is taken as unchanged', async () => {
    await using dir = await tempDir('commit-watch-');
    const watch = watchCommits(join(dir.path, 'missing.db'));
    expect(watch.unchanged()).toBe(false);
    expect(watch.unchanged()).toBe(false);
    watch.close();
  });
});
