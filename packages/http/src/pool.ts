/**
 * HTTP requests as every DeploySmith client sends them (smithd's API, upload URLs, OCI registries):
 * one keep-alive connection pool per origin, an idle timeout, bounded response bodies, and retries
 * per a retry policy.
 *
 * Node's own http/https agents are the pools rather than undici's: forge, smithctl and pilar are
 * short-lived processes, and loading undici (1.4 MB bundled) and compiling its llhttp WebAssembly
 * cost each of them more than the requests they send (see the README of this package).
 * The modules come from `process.getBuiltinModule`: an ESM `import` of node:http evaluates every
 * export, and its lazy WebSocket/EventSource getters load Node's internal undici (about 120 ms of
 * CPU); https (TLS set-up) is loaded only for an https origin.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type { Readable } from 'node:stream';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from './retry.ts';

const http = process.getBuiltinModule('node:http') as typeof Http;
let https: typeof Https | undefined;
const httpsModule = (): typeof Https => {
  https ??= process.getBuiltinModule('node:https') as typeof Https;
  return https;
};

export interface HttpRequest {
  method: string;
  headers?: Record<string, string>;
  /** A string, or a function that opens the body as a stream (once per attempt, so retries resend it). */
  body?: string | (() => Readable);
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface PoolOptions {
  userAgent: string;
  connectionsPerOrigin?: number;
  /** Milliseconds a connection may stay silent (connecting, sending or answering) before the request fails. */
  timeoutMs?: number;
  /** Largest response body read. */
  maxBodyBytes?: number;
  /** The default for `send`; each call may choose another. */
  retry?: Partial<RetryPolicy>;
}

export interface SendOptions {
  retry?: Partial<RetryPolicy>;
  /** Called before each retry with the attempt that failed (1-based) and why. */
  onRetry?: (attempt: number, reason: string) => void;
}

export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

export class HttpPool {
  readonly #agents = new Map<string, Http.Agent>();
  readonly #userAgent: string;
  readonly #connectionsPerOrigin: number;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #retry: RetryPolicy;
  #closed = false;

  constructor(options: PoolOptions) {
    this.#userAgent = options.userAgent;
    this.#connectionsPerOrigin = options.connectionsPerOrigin ?? 8;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Sends the request, retrying what the policy allows; throws network errors (with their `code`). */
  async send(url: URL, request: HttpRequest, options: SendOptions = {}): Promise<HttpResponse> {
    if (this.#closed) throw new Error('The HTTP client is closed');
    const policy = { ...this.#retry, ...options.retry };
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.#once(url, request);
      } catch (error) {
        if (attempt < policy.retries && isRetryableNetworkError(error)) {
          options.onRetry?.(attempt + 1, error instanceof Error ? error.message : String(error));
          await sleep(retryDelayMs(attempt, policy));
          continue;
        }
        throw error;
      }
      if (attempt < policy.retries && policy.statuses && isRetryableStatus(response.status)) {
        options.onRetry?.(attempt + 1, `HTTP ${response.status}`);
        await sleep(retryDelayMs(attempt, policy, parseRetryAfter(response.headers['retry-after'])));
        continue;
      }
      return response;
    }
  }

  /** Closes every pooled connection; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  #agent(url: URL): Http.Agent {
    let agent = this.#agents.get(url.origin);
    if (agent === undefined) {
      const options = { keepAlive: true, maxSockets: this.#connectionsPerOrigin };
      agent = url.protocol === 'https:' ? new (httpsModule().Agent)(options) : new http.Agent(options);
      this.#agents.set(url.origin, agent);
    }
    return agent;
  }

  #once(url: URL, request: HttpRequest): Promise<HttpResponse> {
    const client = url.protocol === 'https:' ? httpsModule() : http;
    const maxBodyBytes = this.#maxBodyBytes;
    const timeoutMs = this.#timeoutMs;
    return new Promise((resolve, reject) => {
      const outgoing = client.request(
        url,
        {
          method: request.method,
          agent: this.#agent(url),
          headers: { 'user-agent': this.#userAgent, ...request.headers },
          timeout: timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          let size = 0;
          incoming.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              incoming.destroy(
                new ResponseTooLargeError(
                  `${url.origin} sent more than ${maxBodyBytes} bytes for ${url.pathname}`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      outgoing.on('timeout', () => {
        outgoing.destroy(
          Object.assign(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        );
      });
      outgoing.on('error', reject);
      if (typeof request.body === 'function') {
        const source = request.body();
        source.on('error', (error) => outgoing.destroy(error));
        source.pipe(outgoing);
      } else {
        outgoing.end(request.body);
      }
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The first value of a response header. */
export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
