import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeploySmithError } from '@deploysmith/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from './client.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;

/** A tiny registry that answers each manifest request from a script of responses. */
async function scriptedRegistry(script: ((req: IncomingMessage, res: ServerResponse) => void)[]) {
  const seen: { method: string; at: number }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', at: performance.now() });
    const step = script[Math.min(seen.length - 1, script.length - 1)];
    step?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { host: `127.0.0.1:${port}`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const ok = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, {
    'docker-content-digest': DIGEST,
    'content-type': 'application/vnd.oci.image.manifest.v1+json',
  });
  res.end();
};
const status =
  (code: number, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(code, headers);
    res.end();
  };

describe('retries against a registry that pushes back', () => {
  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const registry = await scriptedRegistry([status(429, { 'retry-after': '1' }), ok]);
    const client = new RegistryClient();
    try {
      const resolved = await client.resolve(`${registry.host}/team/app:1.0`);
      expect(resolved.digest).toBe(DIGEST);
    } finally {
      await client.close();
    }
    expect(registry.seen).toHaveLength(2);
    const [first, second] = registry.seen;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries 502 and 503 answers with backoff', async () => {
    const registry = await scriptedRegistry([status(503), status(502), ok]);
    const client = new RegistryClient({ retry: { baseDelayMs: 10 } });
    try {
      expect((await client.resolve(`${registry.host}/team/app:1.0`)).digest).toBe(DIGEST);
    } finally {
      await client.close();
    }
    expect(registry.seen).toHaveLength(3);
  });

  it('gives up after the retry budget with an error naming the ref and the status', async () => {
    const registry = await scriptedRegistry([status(503)]);
    const client = new RegistryClient({ retry: { retries: 2, baseDelayMs: 5 } });
    const error = await client.resolve(`${registry.host}/team/app:1.0`).catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(DeploySmithError);
    expect((error as DeploySmithError).code).toBe('server_unreachable');
    expect((error as DeploySmithError).message).toContain(`${registry.host}/team/app:1.0`);
    expect((error as DeploySmithError).message).toContain('503');
    expect(registry.seen).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    const registry = await scriptedRegistry([status(404)]);
    const client = new RegistryClient({ retry: { baseDelayMs: 5 } });
    const error = await client.resolve(`${registry.host}/team/app:nope`).catch((e: unknown) => e);
    await client.close();
    expect((error as DeploySmithError).code).toBe('not_found');
    expect(registry.seen).toHaveLength(1);
  });
});
