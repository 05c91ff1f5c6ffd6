/**
 * Hostile uploads to the disk storage's signed URL: tampered signatures, expiries, sizes and
 * checksums, another version's URL, bodies that are not what was declared. Each is refused (403
 * upload_denied, or 400 checksum_mismatch) and leaves no file in the storage.
 */
import { createHash } from 'node:crypto';
import type { DraftResponse } from '../../packages/core/src/index.ts';
import { call, rawRequest } from '../http.ts';
import { metadataFor } from '../publishing.ts';
import type { CorpusContext, HostileCase, Outcome } from './case.ts';

const BYTES = Buffer.from('the bytes a draft was made for, and nothing else\n'.repeat(20));

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A legitimate draft of new version, for BYTES: its signed upload URL. */
async function draft(context: CorpusContext): Promise<URL> {
  const answer = await call<DraftResponse>(context.smithd, 'POST', `/v1/apps/${context.app}/versions`, {
    body: {
      id: context.nextVersion(),
      metadata: metadataFor(context.app, 'corpus-upload', 'main', null),
      sha256: sha256(BYTES),
      size: BYTES.length,
    },
  });
  if (answer.status !== 201 || answer.body.upload === null) throw new Error(`draft failed: ${answer.text}`);
  return new URL(answer.body.upload.url);
}

async function put(url: URL, body: Uint8Array, headers: Record<string, string> = {}): Promise<Outcome> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/gzip', ...headers },
    body: body as Uint8Array<ArrayBuffer>,
  });
  const text = await response.text();
  let parsed: { error?: { code?: string; message?: string } } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, code: parsed.error?.code, message: parsed.error?.message, text };
}

function withParam(url: URL, name: string, value: string | null): URL {
  const copy = new URL(url);
  if (value === null) copy.searchParams.delete(name);
  else copy.searchParams.set(name, value);
  return copy;
}

function flip(text: string): string {
  const last = text.at(-1) === 'A' ? 'B' : 'A';
  return `${text.slice(0, -1)}${last}`;
}

export function uploadCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const denied = { status: [403], code: 'upload_denied' };
  const mismatch = { status: [400], code: 'checksum_mismatch' };
  const add = (
    name: string,
    attack: (c: CorpusContext, url: URL) => Promise<Outcome>,
    expect: HostileCase['expect'],
  ) =>
    cases.push({ family: 'upload', name, prepare: draft, attack: (c, url) => attack(c, url as URL), expect });

  add(
    'upload with one character of the signature changed',
    (_c, url) => put(withParam(url, 'signature', flip(url.searchParams.get('signature') ?? '')), BYTES),
    denied,
  );
  add('upload without a signature', (_c, url) => put(withParam(url, 'signature', null), BYTES), denied);
  add('upload with an empty signature', (_c, url) => put(withParam(url, 'signature', ''), BYTES), denied);
  add(
    'upload with the expiry moved a day later',
    (_c, url) =>
      put(withParam(url, 'expires', String(Number(url.searchParams.get('expires')) + 86_400)), BYTES),
    denied,
  );
  add(
    'upload with an expiry in the past',
    (_c, url) => put(withParam(url, 'expires', '1000000000'), BYTES),
    denied,
  );
  add(
    'upload with an expiry that is not a number',
    (_c, url) => put(withParam(url, 'expires', 'never'), BYTES),
    denied,
  );
  add(
    'upload with the declared size doubled',
    (_c, url) => put(withParam(url, 'size', String(BYTES.length * 2)), Buffer.concat([BYTES, BYTES])),
    denied,
  );
  add(
    'upload with another sha256 in the URL',
    (_c, url) => put(withParam(url, 'sha256', 'b'.repeat(64)), BYTES),
    denied,
  );
  add(
    'upload to another version with this URL',
    (_c, url) => {
      const other = new URL(url);
      other.pathname = other.pathname.replace(/\/([^/]+)\/bundle\.tar\.gz$/, '/other-version/bundle.tar.gz');
      return put(other, BYTES);
    },
    denied,
  );
  add(
    'upload to another app with this URL',
    (_c, url) => {
      const other = new URL(url);
      other.pathname = other.pathname.replace(/^\/uploads\/drafts\/[^/]+\//, '/uploads/drafts/other-app/');
      return put(other, BYTES);
    },
    denied,
  );
  add(
    'upload to the published copy with this URL',
    (_c, url) => {
      const other = new URL(url);
      other.pathname = other.pathname.replace('/uploads/drafts/', '/uploads/published/');
      return put(other, BYTES);
    },
    { status: [401, 403, 404] },
  );
  add(
    'upload through a path with ../ segments',
    (c, url) =>
      rawRequest(
        c.smithd.url,
        `PUT /uploads/drafts/${c.app}/../../../../tmp/x/bundle.tar.gz${url.search} HTTP/1.1\r\nHost: x\r\nContent-Length: ${BYTES.length}\r\n\r\n${BYTES.toString('latin1')}`,
      ).then((a) => ({ status: a.status, text: a.text })),
    { status: [400, 403, 404] },
  );
  add(
    'upload other bytes of the same length',
    (_c, url) => put(url, Buffer.alloc(BYTES.length, 0x41)),
    mismatch,
  );
  add('upload one byte fewer than declared', (_c, url) => put(url, BYTES.subarray(1)), mismatch);
  add(
    'upload one byte more than declared',
    (_c, url) => put(url, Buffer.concat([BYTES, Buffer.from('!')])),
    mismatch,
  );
  add('upload nothing', (_c, url) => put(url, new Uint8Array()), mismatch);
  add(
    'upload chunked, without a Content-Length',
    (c, url) => {
      const chunk = BYTES.toString('latin1');
      return rawRequest(
        c.smithd.url,
        `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      ).then((a) => ({ status: a.status, text: a.text }));
    },
    { status: [400] },
  );
  add(
    'upload with a Content-Length larger than the body, then hang up',
    (c, url) =>
      rawRequest(
        c.smithd.url,
        `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${BYTES.length}\r\n\r\n${BYTES.subarray(0, 10).toString('latin1')}`,
        3000,
      ).then(
        (a) => ({ status: a.status === 0 ? 400 : a.status, text: a.text }),
        () => ({ status: 400, text: 'no answer: the server waited for the rest, then the client hung up' }),
      ),
    { status: [400] },
  );
  return cases;
}
