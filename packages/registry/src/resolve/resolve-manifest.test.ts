import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeploySmithError } from '@deploysmith/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../client.ts';

const MANIFEST = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }),
);
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A registry that behaves like some real ones do: no digest header, no HEAD, or wrong data. */
async function registry(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const methods: string[] = [];
  const server = createServer((req, res) => {
    methods.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, methods };
}

async function resolve(ref: string) {
  const client = new RegistryClient({ retry: { retries: 0 }, env: {} });
  try {
    return await client.resolve(ref);
  } finally {
    await client.close();
  }
}

describe('resolving against registries that omit or misreport digests', () => {
  it('GETs the manifest and hashes it when Docker-Content-Digest is missing', async () => {
    const server = await registry((req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
      res.end(req.method === 'GET' ? MANIFEST : undefined);
    });
    const resolved = await resolve(`${server.host}/team/app:1`);
    expect(resolved.digest).toBe(DIGEST);
    expect(resolved.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(server.methods).toEqual(['HEAD /v2/team/app/manifests/1', 'GET /v2/team/app/manifests/1']);
  });

  it('takes the media type from the manifest body when the registry sends none', async () => {
    const server = await registry((req, res) => {
      res.writeHead(200, {});
      res.end(req.method === 'GET' ? MANIFEST : undefined);
    });
    expect((await resolve(`${server.host}/team/app:1`)).mediaType).toBe(
      'application/vnd.oci.image.index.v1+json',
    );
  });

  it('falls back to GET when HEAD is not allowed, and checks the reported digest against the bytes', async () => {
    const server = await registry((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(405);
        res.end();
        return;
      }
      res.writeHead(200, {
        'docker-content-digest': DIGEST,
        'content-type': 'application/vnd.oci.image.index.v1+json',
      });
      res.end(MANIFEST);
    });
    expect((await resolve(`${server.host}/team/app:1`)).digest).toBe(DIGEST);
  });

  it('refuses a manifest whose bytes do not match the digest the registry reports', async () => {
    const lie = `sha256:${'1'.repeat(64)}`;
    const server = await registry((req, res) => {
      // No digest on HEAD, so the client GETs; the GET then carries a digest the bytes disprove.
      const digest: Record<string, string> = req.method === 'GET' ? { 'docker-content-digest': lie } : {};
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', ...digest });
      res.end(req.method === 'GET' ? MANIFEST : undefined);
    });
    const error = await resolve(`${server.host}/team/app:1`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploySmithError);
    expect((error as DeploySmithError).code).toBe('checksum_mismatch');
    expect((error as DeploySmithError).message).toContain(`reported digest ${lie}`);
    expect((error as DeploySmithError).message).toContain(DIGEST);
  });

  it('refuses a digest reference answered with another digest', async () => {
    const other = `sha256:${'2'.repeat(64)}`;
    const server = await registry((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'docker-content-digest': other,
      });
      res.end();
    });
    const error = await resolve(`${server.host}/team/app@${DIGEST}`).catch((e: unknown) => e);
    expect((error as DeploySmithError).code).toBe('checksum_mismatch');
    expect((error as DeploySmithError).message).toContain(other);
  });
});
