/**
 * vitest global setup of the `e2e-postgres-s3` project: one PostgreSQL server and one s3rver for
 * the whole run (each test smithd gets its own database and key prefix on them), stopped at the end.
 */
import { SHARED_SERVERS_ENV, type SharedServers } from './backends.ts';
import { startPostgres } from './postgres.ts';
import { startS3 } from './s3.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const [postgres, s3] = await Promise.all([startPostgres(), startS3('deploysmith-suite')]);
  const servers: SharedServers = {
    postgresUrl: postgres.url,
    s3: { endpoint: s3.endpoint, bucket: s3.bucket, region: s3.region, env: s3.env },
  };
  // Workers start after this and inherit the environment.
  process.env[SHARED_SERVERS_ENV] = JSON.stringify(servers);
  return async () => {
    delete process.env[SHARED_SERVERS_ENV];
    await Promise.all([postgres.stop(), s3.stop()]);
  };
}
