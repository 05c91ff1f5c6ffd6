/**
 * A PostgreSQL server and an s3rver of a test file's own, for the tests that stop them, or that
 * run several smithd on one database: the shared servers of the e2e-postgres-s3 suite must not be.
 */
import { type BackendUnderTest, postgresS3Backend } from '@deploysmith/testkit/backends';
import { type PostgresHandle, startPostgres } from '@deploysmith/testkit/postgres';
import { type S3Handle, startS3 } from '@deploysmith/testkit/s3';

export interface OwnServers {
  postgres: PostgresHandle;
  s3: S3Handle;
  /** A new database `name` and S3 prefix `name` on these servers. */
  backend(name: string): Promise<BackendUnderTest>;
  stop(): Promise<void>;
}

export async function startOwnServers(): Promise<OwnServers> {
  const [postgres, s3] = await Promise.all([startPostgres(), startS3()]);
  return {
    postgres,
    s3,
    async backend(name) {
      const url = await postgres.createDatabase(name);
      return postgresS3Backend(url, s3, name.replace(/_/g, '-'));
    },
    async stop() {
      await Promise.all([postgres.stop(), s3.stop()]);
    },
  };
}
