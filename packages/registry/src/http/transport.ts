/**
 * HTTP to registries and their token endpoints: one undici pool per origin (keep-alive connections
 * reused across refs), bounded response bodies, and retries per the retry policy.
 */
import { Pool } from 'undici';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from './retry.ts';

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
  readonly #pools = new Map<string, Pool>();
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

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connectionsPerOrigin,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
        connect: { timeout: Math.min(this.#options.timeoutMs, 10_000) },
      });
      this.#pools.set(origin, pool);
    }
    return pool;
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

  async #once(url: URL, request: HttpRequest): Promise<HttpResponse> {
    const { statusCode, headers, body } = await this.#pool(url.origin).request({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.#options.maxBodyBytes) {
        body.destroy();
        throw new ResponseTooLargeError(
          `${url.origin} sent more than ${this.#options.maxBodyBytes} bytes for ${url.pathname}`,
        );
      }
      chunks.push(chunk as Buffer);
    }
    return { status: statusCode, headers, body: Buffer.concat(chunks) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
