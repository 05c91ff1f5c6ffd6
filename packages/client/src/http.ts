/**
 * The one HTTP layer under the smithd client: JSON in and out, smithd's error bodies turned into
 * DeploySmithErrors, network failures into `server_unreachable` with a hint.
 */
import { DeploySmithError, type ErrorBody, isErrorCode } from '@deploysmith/core';
import { HttpPool, type HttpResponse, NO_RETRY, type RetryPolicy } from '@deploysmith/http';

export interface HttpOptions {
  /** Base URL of smithd, e.g. http://127.0.0.1:8420 */
  server: string;
  apiKey?: string;
  userAgent?: string;
  /** Milliseconds a request may go without an answer before it is given up. */
  timeoutMs?: number;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Retry on a dropped connection or timeout; only for requests that are safe to repeat. */
  retry?: boolean;
}

/** A request safe to repeat gets two more attempts after a dropped connection; smithd's answers are final. */
const REPEATABLE: Partial<RetryPolicy> = { retries: 2, baseDelayMs: 250, statuses: false };

/** Larger than any page smithd sends; a bound so a wrong server cannot fill the memory. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export class Http {
  readonly server: URL;
  /** The connections to smithd, and to the upload URLs it hands out. */
  readonly pool: HttpPool;
  readonly #apiKey: string | undefined;

  constructor(options: HttpOptions) {
    this.server = parseServerUrl(options.server);
    this.#apiKey = options.apiKey;
    this.pool = new HttpPool({
      userAgent: options.userAgent ?? 'deploysmith-client',
      timeoutMs: options.timeoutMs ?? 60_000,
      maxBodyBytes: MAX_RESPONSE_BYTES,
      retry: NO_RETRY,
    });
  }

  async json<T>(options: RequestOptions): Promise<T> {
    const url = new URL(options.path.replace(/^\//, ''), this.server);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: HttpResponse;
    try {
      response = await this.pool.send(
        url,
        { method: options.method, headers, ...(body === undefined ? {} : { body }) },
        { retry: options.retry ? REPEATABLE : NO_RETRY },
      );
    } catch (error) {
      throw this.#networkError(error);
    }
    const text = response.body.toString('utf8');
    if (response.status >= 400) throw errorFromResponse(response.status, text, url);
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

  close(): Promise<void> {
    return this.pool.close();
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
