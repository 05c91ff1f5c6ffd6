/**
 * A pass-through HTTP proxy in front of smithd that can spoil the upload URL of a draft answer, the
 * way a URL that expired before the upload started looks to forge: smithd refuses it with 403. The
 * rest of the traffic, and the upload itself (straight to smithd's URL), is untouched.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface TamperingProxy {
  url: string;
  /** How many draft answers to spoil from now on (Infinity: all). */
  spoilDrafts(count: number): void;
  /** Draft answers spoiled so far. */
  spoiled(): number;
  close(): Promise<void>;
}

const DRAFT_PATH = /^\/v1\/apps\/[^/]+\/versions$/;

export async function startTamperingProxy(target: string): Promise<TamperingProxy> {
  let budget = 0;
  let spoiled = 0;
  const server: Server = createServer((incoming, outgoing) => {
    forward(incoming).then(
      ({ status, headers, body }) => {
        let payload = body;
        if (incoming.method === 'POST' && DRAFT_PATH.test(incoming.url ?? '') && status < 300 && budget > 0) {
          const draft = JSON.parse(body.toString()) as { upload: { url: string } | null };
          if (draft.upload) {
            const url = new URL(draft.upload.url);
            // An expiry in the past, which the signature no longer covers either: refused either way.
            url.searchParams.set('expires', String(Math.floor(Date.now() / 1000) - 60));
            draft.upload.url = url.toString();
            payload = Buffer.from(JSON.stringify(draft));
            budget--;
            spoiled++;
          }
        }
        outgoing.writeHead(status, { ...headers, 'content-length': String(payload.length) });
        outgoing.end(payload);
      },
      (error: unknown) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(String(error));
      },
    );
  });

  async function forward(incoming: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = { ...incoming.headers };
    delete headers.host;
    delete headers.connection;
    delete headers['content-length'];
    const response = await request(new URL(incoming.url ?? '/', target), {
      method: (incoming.method ?? 'GET') as 'GET',
      headers: headers as Record<string, string>,
      body: chunks.length === 0 ? undefined : Buffer.concat(chunks),
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(response.headers)) {
      if (
        value === undefined ||
        ['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(key)
      )
        continue;
      out[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers: out, body };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spoilDrafts(count) {
      budget = count;
    },
    spoiled: () => spoiled,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
