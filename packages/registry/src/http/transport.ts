/**
 * HTTP to registries and their token endpoints: one keep-alive connection pool per origin (reused
 * across refs), bounded response bodies, and retries per the retry policy.
 *
 * Node's own http/https agents are the pools rather than undici's: a CLI that resolves a few refs
 * pays undici's load and llhttp-WebAssembly compile on every start, which `bench/registry.bench.ts`
 * measured as the largest part of a `pilar resolve` run.
 * The modules come from `process.getBuiltinModule`: an ESM `import` of node:http evaluates every
 * export, and its lazy WebSocket/EventSource getters load Node's internal undici (about 120 ms of
 * CPU); https (TLS set-up) is loaded only for an https origin.
 */

import type * as Http from 'node:http';
import type * as Https from 'node:https';
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

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface TransportOptions {
  connectionsPerOrigin?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Largest response body read (manifests and token answers are small). */
  maxBodyBytes?: number;
}

export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

const USER_AGENT = 'deploysmith-registry/0.1';

export class Transport {
  readonly #agents = new Map<string, Http.Agent>();
  readonly #options: Required<Omit<TransportOptions, 'retry'>>;
  readonly #retry: RetryPolicy;
  #closed = false;

  constructor(options: TransportOptions = {}) {
    this.#options = {
      connectionsPerOrigin: options.connectionsPerOrigin ?? 8,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    };
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  #agent(url: URL): Http.Agent {
    let agent = this.#agents.get(url.origin);
    if (agent === undefined) {
      const options = { keepAlive: true, maxSockets: this.#options.connectionsPerOrigin };
      agent = url.protocol === 'https:' ? new (httpsModule().Agent)(options) : new http.Agent(options);
      this.#agents.set(url.origin, agent);
    }
    return agent;
  }

  /** Sends the request, retrying 429/5xx answers and dropped connections; throws network errors. */
  async send(url: URL, request: HttpRequest): Promise<HttpResponse> {
    if (this.#closed) throw new Error('The registry client is closed');
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.#once(url, request);
      } catch (error) {
        if (attempt < this.#retry.retries && isRetryableNetworkError(error)) {
          await sleep(retryDelayMs(attempt, this.#retry));
          continue;
        }
        throw error;
      }
      if (attempt < this.#retry.retries && isRetryableStatus(response.status)) {
        await sleep(retryDelayMs(attempt, this.#retry, parseRetryAfter(response.headers['retry-after'])));
        continue;
      }
      return response;
    }
  }

  #once(url: URL, request: HttpRequest): Promise<HttpResponse> {
    const client = url.protocol === 'https:' ? httpsModule() : http;
    const { maxBodyBytes, timeoutMs } = this.#options;
    return new Promise((resolve, reject) => {
      const outgoing = client.request(
        url,
        {
          method: request.method,
          agent: this.#agent(url),
          headers: { 'user-agent': USER_AGENT, ...request.headers },
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
      outgoing.end(request.body);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
