/**
 * Fills a smithd database with many versions of one app straight through SQLite (publishing
 * 100,000 versions through the API would take the benchmark's whole budget).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function seedVersions(dataDir: string, app: string, count: number): void {
  const db = new Database(join(dataDir, 'smithd.db'));
  try {
    db.pragma('busy_timeout = 5000');
    const now = new Date().toISOString();
    const insertApp = db.prepare(
      'insert into apps (name, repo, environments, created_at) values (?, ?, ?, ?)',
    );
    const insertVersion = db.prepare(
      `insert into versions (app, id, state, position, git_sha, branch, tag, committer, build_number, pipeline_url,
        built_at, sha256, size, created_at, published_at, files, auto_deploys)
       values (?, ?, 'published', ?, ?, ?, null, 'ci@example.com', ?, null, ?, ?, 1234, ?, ?, '["deployment.yaml"]', null)`,
    );
    const insertDeployment = db.prepare(
      `insert into deployments (id, repo, app, environment, version, kind, status, "commit", previous_version, requested_by, created_at, finished_at, error)
       values (?, 'gitops', ?, ?, ?, 'deploy', 'succeeded', ?, null, 'admin', ?, ?, null)`,
    );
    db.transaction(() => {
      insertApp.run(app, 'gitops', JSON.stringify(['staging', 'production']), now);
      for (let i = 1; i <= count; i++) {
        const sha = i.toString(16).padStart(40, '0');
        insertVersion.run(
          app,
          `v${i}`,
          i,
          sha,
          i % 10 === 0 ? `feature/f${i}` : 'main',
          String(i),
          now,
          sha.padEnd(64, '0'),
          now,
          now,
        );
      }
      insertDeployment.run('seed-staging', app, 'staging', `v${count}`, 'a'.repeat(40), now, now);
      insertDeployment.run('seed-production', app, 'production', `v${count - 3}`, 'b'.repeat(40), now, now);
    })();
  } finally {
    db.close();
  }
}
