import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPool, ResponseTooLargeError } from './pool.ts';
import { NO_RETRY } from './retry.ts';

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

interface Seen {
  method: string;
  body: string;
  userAgent: string | undefined;
}

/** A server that answers the n-th request with the n-th handler (the last one repeats). */
async function scripted(handlers: ((req: IncomingMessage, res: ServerResponse, body: string) => void)[]) {
  const seen: Seen[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? '', body, userAgent: req.headers['user-agent'] });
      const handler = handlers[Math.min(seen.length, handlers.length) - 1];
      handler?.(req, res, body);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: new URL(`http://127.0.0.1:${port}/thing`), seen, connections: () => connections };
}

const servers: Server[] = [];
const pools: HttpPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  for (const server of servers.splice(0)) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

function pool(options: Partial<ConstructorParameters<typeof HttpPool>[0]> = {}): HttpPool {
  const created = new HttpPool({ userAgent: 'pool-test', retry: fast, ...options });
  pools.push(created);
  return created;
}

const ok = (_req: IncomingMessage, res: ServerResponse, body: string) => res.end(`echo:${body}`);

describe('HttpPool', () => {
  it('sends requests over one kept-alive connection per origin, with its user agent', async () => {
    const server = await scripted([ok]);
    const client = pool();
    for (const body of ['a', 'b', 'c']) {
      const response = await client.send(server.url, { method: 'POST', body });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(`echo:${body}`);
    }
    expect(server.connections()).toBe(1);
    expect(server.seen.map((seen) => seen.userAgent)).toEqual(['pool-test', 'pool-test', 'pool-test']);
  });

  it('streams a body and opens it again for each retry of a 503', async () => {
    const server = await scripted([
      (_req, res) => res.writeHead(503).end('busy'),
      (_req, res) => res.writeHead(503, { 'retry-after': '0' }).end('busy'),
      ok,
    ]);
    let opened = 0;
    const retries: string[] = [];
    const response = await pool().send(
      server.url,
      {
        method: 'PUT',
        body: () => {
          opened++;
          return Readable.from([Buffer.from('part1-'), Buffer.from('part2')]);
        },
      },
      { onRetry: (attempt, reason) => retries.push(`${attempt}: ${reason}`) },
    );
    expect(response.body.toString()).toBe('echo:part1-part2');
    expect(opened).toBe(3);
    expect(server.seen.map((seen) => seen.body)).toEqual(['part1-part2', 'part1-part2', 'part1-part2']);
    expect(retries).toEqual(['1: HTTP 503', '2: HTTP 503']);
  });

  it('answers a 503 as it is when the policy retries connections only, or not at all', async () => {
    const server = await scripted([(_req, res) => res.writeHead(503).end('busy'), ok]);
    const client = pool();
    const once = await client.send(server.url, { method: 'GET' }, { retry: { statuses: false } });
    expect(once.status).toBe(503);
    const again = await client.send(server.url, { method: 'GET' }, { retry: NO_RETRY });
    expect(again.status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it('retries a dropped connection when the policy allows, and reports it when it does not', async () => {
    const server = await scripted([(req) => req.socket.destroy(), ok]);
    const client = pool();
    const retried = await client.send(server.url, { method: 'GET' });
    expect(retried.status).toBe(200);
    const dropping = await scripted([(req) => req.socket.destroy()]);
    await expect(client.send(dropping.url, { method: 'GET' }, { retry: NO_RETRY })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(dropping.seen).toHaveLength(1);
  });

  it('gives up on a silent server after the timeout, naming it', async () => {
    const server = await scripted([() => undefined]);
    const error = await pool({ timeoutMs: 200 })
      .send(server.url, { method: 'GET' }, { retry: NO_RETRY })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(String(error)).toContain(`no answer from ${server.url.origin} within 200 ms`);
  });

  it('refuses a response body over the bound', async () => {
    const server = await scripted([(_req, res) => res.end('x'.repeat(5000))]);
    await expect(
      pool({ maxBodyBytes: 1000 }).send(server.url, { method: 'GET' }, { retry: NO_RETRY }),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('fails with the error of a body that cannot be read, without retrying it', async () => {
    const server = await scripted([ok]);
    const missing = () => createReadStream(join(tmpdir(), `no-such-bundle-${process.pid}.tar.gz`));
    await expect(pool().send(server.url, { method: 'PUT', body: missing })).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('refuses requests once closed', async () => {
    const server = await scripted([ok]);
    const client = pool();
    await client.close();
    await expect(client.send(server.url, { method: 'GET' })).rejects.toThrow(/closed/);
  });
});
