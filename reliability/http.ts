/**
 * Raw HTTP against smithd, for asserting on status codes and bodies as they are: `call` for
 * well-formed requests (any method, body, headers), `rawRequest` for bytes no HTTP client would
 * send (oversized or malformed headers, broken framing).
 */
import { connect } from 'node:net';

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

export interface RawAnswer {
  status: number;
  text: string;
}

/** Sends `request` as is over a new connection to `url`'s host; returns the status line's code and all bytes read. */
export function rawRequest(
  url: string,
  request: string | Uint8Array,
  timeoutMs = 30_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is all we asked for: stop once its headers and declared body are in.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? Number.NaN);
        if (Number.isFinite(length) && Buffer.byteLength(text, 'latin1') >= end + 4 + length) socket.end();
      }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer and reset the connection before reading all we sent.
      if (chunks.length > 0 && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) finish();
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(request);
  });
}
