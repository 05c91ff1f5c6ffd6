/**
 * The registry client: resolves many image references at once with a bound on parallel requests,
 * one connection pool per registry, and credentials and tokens shared across references.
 */
import { DeploySmithError } from '@deploysmith/core';
import { HttpPool, type RetryPolicy } from '@deploysmith/http';
import pLimit from 'p-limit';
import { Authenticator } from './auth/authenticator.ts';
import { CredentialStore, type RegistryCredential } from './auth/credentials.ts';
import { type ResolvedRef, resolveManifest } from './resolve/resolve-manifest.ts';

export interface RegistryOptions {
  /**
   * Registries (`host` or `host:port`) reached over plain HTTP. Loopback registries always are;
   * `DEPLOYSMITH_INSECURE_REGISTRIES` (comma-separated) adds more.
   */
  insecureRegistries?: string[];
  /** Credentials from flags; `DEPLOYSMITH_REGISTRY_USERNAME`/`_PASSWORD` are read from `env` too. */
  credentials?: RegistryCredential[];
  /** Directory of the docker `config.json`; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string;
  /** Environment for the variables above and for credential helpers; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** References resolved at the same time (default 16). */
  concurrency?: number;
  /** Connections kept per registry (default 8). */
  connectionsPerRegistry?: number;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export class RegistryClient {
  readonly #pool: HttpPool;
  readonly #auth: Authenticator;
  readonly #insecure: ReadonlySet<string>;
  readonly #limit: ReturnType<typeof pLimit>;

  constructor(options: RegistryOptions = {}) {
    const env = options.env ?? process.env;
    this.#pool = new HttpPool({
      userAgent: 'deploysmith-registry/0.1',
      ...(options.connectionsPerRegistry === undefined
        ? {}
        : { connectionsPerOrigin: options.connectionsPerRegistry }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
    this.#auth = new Authenticator(
      this.#pool,
      new CredentialStore({
        env,
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        ...(options.dockerConfigDir === undefined ? {} : { dockerConfigDir: options.dockerConfigDir }),
      }),
    );
    const fromEnv = (env.DEPLOYSMITH_INSECURE_REGISTRIES ?? '').split(',').map((host) => host.trim());
    this.#insecure = new Set(
      [...(options.insecureRegistries ?? []), ...fromEnv].filter((host) => host !== ''),
    );
    this.#limit = pLimit(Math.max(1, options.concurrency ?? 16));
  }

  /** The digest of the manifest (or index) `ref` names; a `@digest` ref is checked to exist. */
  resolve(ref: string): Promise<ResolvedRef> {
    return this.#limit(() =>
      resolveManifest({ pool: this.#pool, auth: this.#auth, insecure: this.#insecure }, ref),
    );
  }

  /**
   * Resolves every reference (each distinct one once), in the order given. When some fail, the
   * error is the first failure's, with every failed reference listed in its details.
   */
  async resolveMany(refs: string[]): Promise<ResolvedRef[]> {
    const distinct = [...new Set(refs)];
    const settled = await Promise.allSettled(distinct.map((ref) => this.resolve(ref)));
    const resolved = new Map<string, ResolvedRef>();
    const failures: { ref: string; error: unknown }[] = [];
    distinct.forEach((ref, index) => {
      const result = settled[index];
      if (result?.status === 'fulfilled') resolved.set(ref, result.value);
      else failures.push({ ref, error: result?.reason });
    });
    const [first] = failures;
    if (first !== undefined) {
      if (failures.length === 1 || !(first.error instanceof DeploySmithError)) throw first.error;
      const error = first.error;
      throw new DeploySmithError(
        error.code,
        `${failures.length} of ${distinct.length} image references could not be resolved; first: ${error.message}`,
        {
          ...(error.hint === undefined ? {} : { hint: error.hint }),
          fromServer: error.fromServer,
          details: failures.map(({ ref, error }) => ({
            field: ref,
            message: error instanceof Error ? error.message : String(error),
          })),
        },
      );
    }
    return refs.flatMap((ref) => {
      const result = resolved.get(ref);
      return result === undefined ? [] : [result];
    });
  }

  /** Closes the connection pools; the client cannot be used afterwards. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}
