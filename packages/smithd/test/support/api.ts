/** Raw HTTP against a test smithd: status codes and bodies as they are, for asserting on them. */
import { createHash } from 'node:crypto';
import type { DraftResponse, VersionMetadata } from '@deploysmith/core';
import type { SmithdHandle } from '@deploysmith/testkit/smithd';
import { request } from 'undici';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface CallOptions {
  body?: unknown;
  /** API key; default the admin key; null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
  /** Send this exact text as the body (with content-type application/json). */
  raw?: string | Buffer;
}

export async function call<T = any>(
  handle: Pick<SmithdHandle, 'url' | 'apiKey'>,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const key = options.key === undefined ? handle.apiKey : options.key;
  const headers: Record<string, string> = { ...options.headers };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | Buffer | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await request(`${handle.url}${path}`, { method, headers, body });
  const text = await response.body.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, body: parsed as T, headers: response.headers };
}

export function metadata(overrides: Partial<VersionMetadata> = {}): VersionMetadata {
  return {
    gitSha: '0123456789abcdef0123456789abcdef01234567',
    branch: 'main',
    tag: null,
    committer: null,
    buildNumber: null,
    pipelineUrl: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Drafts `id` for `bytes` and uploads them; returns the draft answer and the upload's status. */
export async function draftAndUpload(
  handle: Pick<SmithdHandle, 'url' | 'apiKey'>,
  app: string,
  id: string,
  bytes: Buffer,
  meta: Partial<VersionMetadata> = {},
): Promise<{ draft: Answer<DraftResponse>; upload: Answer | undefined }> {
  const draft = await call<DraftResponse>(handle, 'POST', `/v1/apps/${app}/versions`, {
    body: { id, metadata: metadata(meta), sha256: sha256(bytes), size: bytes.length },
  });
  const target = draft.body?.upload;
  if (!target) return { draft, upload: undefined };
  const response = await request(target.url, { method: 'PUT', headers: target.headers, body: bytes });
  const text = await response.body.text();
  return {
    draft,
    upload: {
      status: response.statusCode,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
    },
  };
}
