/**
 * Hostile HTTP that no client library would send: oversized or malformed headers, smuggling-style
 * framing, broken chunking. Node's parser or fastify must refuse each with a 4xx and smithd must
 * keep serving.
 */
import { rawRequest } from '../http.ts';
import type { CorpusContext, HostileCase, Outcome } from './case.ts';

/** Sends `request` as bytes; the outcome has smithd's error code and message when the answer is smithd's JSON. */
export async function raw(context: CorpusContext, request: string | Buffer): Promise<Outcome> {
  const answer = await rawRequest(context.smithd.url, request);
  const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
  let error: { code?: string; message?: string } | undefined;
  try {
    error = JSON.parse(body).error;
  } catch {
    // Node's own refusals carry no JSON body.
  }
  return { status: answer.status, code: error?.code, message: error?.message, text: answer.text };
}

const host = (c: CorpusContext) => new URL(c.smithd.url).host;

export function httpCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (name: string, build: (c: CorpusContext) => string | Buffer, status: number[]) =>
    cases.push({ family: 'http', name, attack: (c) => raw(c, build(c)), expect: { status } });

  add(
    'a 20 KiB header',
    (c) => `GET /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
    [431],
  );
  add(
    'two thousand headers',
    (c) =>
      `GET /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\n${Array.from({ length: 2000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
    [431],
  );
  add(
    'a 20 KiB URL',
    (c) => `GET /v1/apps/${'a'.repeat(20 * 1024)} HTTP/1.1\r\nHost: ${host(c)}\r\n\r\n`,
    [431, 414],
  );
  add(
    'Content-Length and Transfer-Encoding together',
    (c) =>
      `POST /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    [400],
  );
  add(
    'two different Content-Lengths',
    (c) =>
      `POST /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`,
    [400],
  );
  add(
    'a negative Content-Length',
    (c) =>
      `POST /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}`,
    [400],
  );
  add(
    'a chunk size that is not hex',
    (c) =>
      `POST /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    [400],
  );
  add(
    'a header with a NUL byte',
    (c) => `GET /healthz HTTP/1.1\r\nHost: ${host(c)}\r\nX-Evil: a\u0000b\r\n\r\n`,
    [400],
  );
  add(
    'a header name with a space',
    (c) => `GET /healthz HTTP/1.1\r\nHost: ${host(c)}\r\nX Evil: a\r\n\r\n`,
    [400],
  );
  // Node reads a line without a version as HTTP/0.9 (no Host needed): the 401 of a keyless request is right.
  add('a request line without a version', () => 'GET /v1/apps\r\n\r\n', [400, 401]);
  add('an unknown method', (c) => `BREW /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\n\r\n`, [400, 404, 405]);
  add('HTTP/1.1 without a Host header', () => 'GET /v1/apps HTTP/1.1\r\n\r\n', [400]);
  add(
    'an absolute-form URL to another host',
    () => 'GET http://evil.example/v1/apps HTTP/1.1\r\nHost: evil.example\r\n\r\n',
    [401, 400, 404],
  );
  add(
    'an Authorization header of 10 KiB',
    (c) =>
      `GET /v1/apps HTTP/1.1\r\nHost: ${host(c)}\r\nAuthorization: Bearer dsk_${'k'.repeat(10 * 1024)}\r\n\r\n`,
    [401],
  );
  add(
    'a path with encoded dot segments',
    (c) => `GET /v1/apps/%2e%2e/%2e%2e/openapi.json HTTP/1.1\r\nHost: ${host(c)}\r\n\r\n`,
    [400, 401, 404],
  );
  add(
    'a path with raw dot segments',
    (c) => `GET /v1/apps/../../openapi.json HTTP/1.1\r\nHost: ${host(c)}\r\n\r\n`,
    [400, 401, 404],
  );
  return cases;
}
