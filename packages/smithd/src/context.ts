/**
 * Everything a running smithd holds: configuration, database, version storage, GitOps repos and
 * the services over them. Built once at start-up; routes and commands receive it.
 */
import { mkdir } from 'node:fs/promises';
import type { SmithdConfig } from './config/resolve.ts';
import { type Database, openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { repoLockFor } from './db/repo-lock.ts';
import { openRepos } from './deploy/repos.ts';
import { DeployService } from './deploy/service.ts';
import { readStoredBundle } from './publish/bundle-files.ts';
import { ManifestChecker } from './publish/manifest-checker.ts';
import { VersionLocks } from './publish/version-lock.ts';
import type { GitOpsRepo } from './repo/types.ts';
import { openStorage } from './storage/open.ts';
import type { VersionStorage } from './storage/types.ts';

export interface Context {
  config: SmithdConfig;
  database: Database;
  storage: VersionStorage;
  repos: ReadonlyMap<string, GitOpsRepo>;
  deploys: DeployService;
  versionLocks: VersionLocks;
  manifests: ManifestChecker;
  close(): Promise<void>;
}

/** Opens the database (migrated), the storage and the repos' working clones. */
export async function openContext(config: SmithdConfig): Promise<Context> {
  // The data dir holds the admin key and the signing secret: only smithd's user may look in.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const storage = await openStorage(config.storage, {
      publicUrl: config.publicUrl,
      dataDir: config.dataDir,
    });
    const repos = await openRepos(config, repoLockFor(database));
    const deploys = new DeployService({
      database,
      repos,
      readFiles: async (app, version) =>
        (await readStoredBundle(await storage.openPublished({ app, version }), config.limits)).files,
    });
    const manifests = new ManifestChecker();
    return {
      config,
      database,
      storage,
      repos,
      deploys,
      versionLocks: new VersionLocks(),
      manifests,
      close: async () => {
        await manifests.close();
        await storage.close?.();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Only the database, migrated: for the commands that need nothing else (keys, migrate). */
export async function openMigratedDatabase(config: SmithdConfig): Promise<Database> {
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
