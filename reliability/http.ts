/**
 * Raw HTTP against smithd, for asserting on status codes and bodies as they are: `call` for
 * well-formed requests (any method, body, headers), `rawRequest` (from testkit) for bytes no HTTP
 * client would send (oversized or malformed headers, broken framing).
 */
export { type RawAnswer, rawRequest } from '../packages/testkit/src/raw-http.ts';

export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
  ms: number;
}

export interface CallOptions {
  /** JSON body. */
  body?: unknown;
  /** Exact body bytes (content-type application/json unless headers say otherwise). */
  raw?: string | Uint8Array;
  /** API key; undefined: the handle's key; null: none. */
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Target {
  url: string;
  apiKey: string;
}

export async function call<T = any>(
  target: Target,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const key = options.key === undefined ? target.apiKey : options.key;
  const headers: Record<string, string> = { ...options.headers };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = performance.now();
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers,
    body: body as string | Uint8Array<ArrayBuffer> | undefined,
    signal: options.signal ?? AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return {
    status: response.status,
    body: parsed as T,
    text,
    headers: response.headers,
    ms: performance.now() - started,
  };
}
