/**
 * A real HTTP proxy in front of smithd that records what smithctl sends and can lose an answer:
 * it forwards a deploy to smithd (so the deploy happens) and then drops the connection, the way a
 * timeout or a broken network loses the response after the server acted.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: string;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  /** The answer to the next real (not dry-run) deploy is lost after smithd made it. */
  loseNextDeployAnswer(): void;
  close(): Promise<void>;
}

const FORWARDED = ['authorization', 'content-type', 'accept', 'user-agent', 'idempotency-key'];

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  let loseNext = false;
  const server: Server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const path = request.url ?? '/';
    const key = request.headers['idempotency-key'];
    requests.push({
      method: request.method ?? 'GET',
      path,
      idempotencyKey: typeof key === 'string' ? key : undefined,
      body,
    });
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${upstream}${path}`, {
      method: request.method,
      headers,
      body: body === '' ? undefined : body,
    });
    const text = await answer.text();
    const isDeploy =
      request.method === 'POST' && path.endsWith('/deployments') && !body.includes('"dryRun":true');
    if (isDeploy && loseNext) {
      loseNext = false;
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    loseNextDeployAnswer: () => {
      loseNext = true;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
