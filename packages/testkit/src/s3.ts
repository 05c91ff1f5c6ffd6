/**
 * An S3-compatible server for tests: s3rver on a free loopback port with a temp directory.
 * What s3rver does NOT enforce (so the tests of those paths run on the disk backend, which does):
 * pre-signed URL signatures and expiry, `x-amz-checksum-sha256` and content-length binding, and
 * bucket lifecycle rules (it answers NotImplemented, which exercises smithd's warn-and-go-on path).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from './ports.ts';

export interface S3Handle {
  endpoint: string;
  bucket: string;
  region: string;
  /** Credentials s3rver accepts, for the standard AWS environment variables. */
  env: Record<string, string>;
  /** smithd's `--storage` URL for this bucket. */
  storageUrl(prefix?: string): string;
  /** Stops answering (to test unreachable storage); `resume()` starts again on the same port and data. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(bucket = 'deploysmith-test'): Promise<S3Handle> {
  const directory = await mkdtemp(join(tmpdir(), 'deploysmith-s3-'));
  const port = await freePort();
  const create = () =>
    new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  let server: S3rver | undefined = create();
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  return {
    endpoint,
    bucket,
    region,
    env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: region },
    storageUrl: (prefix) =>
      `s3://${bucket}${prefix ? `/${prefix}` : ''}?region=${region}&endpoint=${encodeURIComponent(endpoint)}`,
    async pause() {
      await stopAnswering(server);
      server = undefined;
    },
    async resume() {
      if (server) return;
      server = create();
      await server.run();
    },
    async stop() {
      await stopAnswering(server);
      server = undefined;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Closes the server and every connection to it: a client that keeps sending requests on keep-alive
 * connections would otherwise keep `close()` waiting for ever.
 */
async function stopAnswering(server: S3rver | undefined): Promise<void> {
  if (server === undefined) return;
  const closed = server.close();
  server.httpServer?.closeAllConnections();
  await closed;
}
