/**
 * The one HTTP layer under the smithd client: JSON in and out, smithd's error bodies turned into
 * DeploySmithErrors, network failures into `server_unreachable` with a hint.
 */
import { DeploySmithError, type ErrorBody, isErrorCode } from '@deploysmith/core';
import { Agent, type Dispatcher, request } from 'undici';

export interface HttpOptions {
  /** Base URL of smithd, e.g. http://127.0.0.1:8420 */
  server: string;
  apiKey?: string;
  userAgent?: string;
  /** Milliseconds before a request without an answer is given up. */
  timeoutMs?: number;
  /** Custom CA or self-signed smithd: an undici dispatcher with the TLS options. */
  dispatcher?: Dispatcher;
}

export interface RequestOptions {
  method: Dispatcher.HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Retry on a dropped connection or timeout; only for requests that are safe to repeat. */
  retry?: boolean;
}

/** Network errors after which the same request may succeed. A refused connection is not one. */
const TRANSIENT = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code !== undefined && TRANSIENT.has(code);
}

export class Http {
  readonly server: URL;
  readonly #apiKey: string | undefined;
  readonly #userAgent: string;
  readonly #dispatcher: Dispatcher;

  constructor(options: HttpOptions) {
    this.server = parseServerUrl(options.server);
    this.#apiKey = options.apiKey;
    this.#userAgent = options.userAgent ?? 'deploysmith-client';
    const timeout = options.timeoutMs ?? 60_000;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: 10_000 });
  }

  get dispatcher(): Dispatcher {
    return this.#dispatcher;
  }

  async json<T>(options: RequestOptions): Promise<T> {
    const attempts = options.retry ? 3 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once<T>(options);
      } catch (error) {
        if (attempt >= attempts || !isTransientNetworkError(error)) throw this.#networkError(error);
        await sleep(250 * 2 ** (attempt - 1));
      }
    }
  }

  async #once<T>(options: RequestOptions): Promise<T> {
    const url = new URL(options.path.replace(/^\//, ''), this.server);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.#userAgent,
      ...options.headers,
    };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await request(url, {
      method: options.method,
      headers,
      body,
      dispatcher: this.#dispatcher,
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw errorFromResponse(response.statusCode, text, url);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  #networkError(error: unknown): unknown {
    if (error instanceof DeploySmithError) return error;
    const code = (error as { code?: string } | undefined)?.code ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    return new DeploySmithError(
      'server_unreachable',
      `Cannot reach smithd at ${this.server.origin}: ${reason} (${code}).`,
      {
        hint: 'Check that smithd is running and that --server (or SMITH_URL) points at it.',
        cause: error,
      },
    );
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

/** Turns an error response (smithd's JSON body, or anything else a proxy may answer) into an error. */
export function errorFromResponse(status: number, text: string, url: URL): DeploySmithError {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = JSON.parse(text) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const code = isErrorCode(error.code) ? error.code : status >= 500 ? 'internal' : 'invalid_input';
    return new DeploySmithError(code, error.message, {
      hint: error.hint,
      details: error.details,
      fromServer: true,
    });
  }
  const code =
    status === 401
      ? 'unauthorized'
      : status === 404
        ? 'not_found'
        : status >= 500
          ? 'internal'
          : 'invalid_input';
  const snippet = text.slice(0, 200).replace(/\s+/g, ' ').trim();
  return new DeploySmithError(code, `${url.origin} answered ${status}${snippet ? `: ${snippet}` : ''}.`, {
    hint: 'Is --server pointing at smithd (and not at a proxy or another service)?',
    fromServer: true,
  });
}

export function parseServerUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new DeploySmithError('invalid_input', `Invalid server URL ${JSON.stringify(server)}.`, {
      hint: 'Give the full URL, e.g. --server http://127.0.0.1:8420',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DeploySmithError('invalid_input', `Server URL must be http or https, not ${url.protocol}`, {
      hint: 'Give the full URL, e.g. --server https://smithd.example.com',
    });
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
