/**
 * Where credentials for a registry come from, first match wins: the caller's flags, then the
 * environment (`DEPLOYSMITH_REGISTRY_USERNAME`/`_PASSWORD`, limited to `DEPLOYSMITH_REGISTRY_HOST`
 * when set), then the docker config. Each registry is looked up once per client, because
 * credential helpers are programs.
 */
import {
  type Credential,
  credentialFromDockerConfig,
  type DockerConfig,
  dockerConfigDir,
  readDockerConfig,
} from './docker-config.ts';

export interface RegistryCredential {
  /** Registry host (and port) these are for; omitted = every registry. */
  registry?: string;
  username: string;
  password: string;
}

export interface CredentialSources {
  credentials?: RegistryCredential[];
  env?: NodeJS.ProcessEnv;
  dockerConfigDir?: string;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv): RegistryCredential[] {
  const username = env.DEPLOYSMITH_REGISTRY_USERNAME;
  const password = env.DEPLOYSMITH_REGISTRY_PASSWORD;
  if (!username || password === undefined) return [];
  const registry = env.DEPLOYSMITH_REGISTRY_HOST;
  return [{ username, password, ...(registry ? { registry } : {}) }];
}

export class CredentialStore {
  readonly #explicit: RegistryCredential[];
  readonly #env: NodeJS.ProcessEnv;
  readonly #configDir: string;
  #config: Promise<DockerConfig> | undefined;
  readonly #cache = new Map<string, Promise<Credential | undefined>>();

  constructor(sources: CredentialSources = {}) {
    this.#env = sources.env ?? process.env;
    this.#explicit = [...(sources.credentials ?? []), ...credentialsFromEnv(this.#env)];
    this.#configDir = sources.dockerConfigDir ?? dockerConfigDir(this.#env);
  }

  get(registry: string): Promise<Credential | undefined> {
    let found = this.#cache.get(registry);
    if (found === undefined) {
      found = this.#lookup(registry);
      this.#cache.set(registry, found);
    }
    return found;
  }

  async #lookup(registry: string): Promise<Credential | undefined> {
    const explicit =
      this.#explicit.find((c) => c.registry === registry) ??
      this.#explicit.find((c) => c.registry === undefined);
    if (explicit) return { username: explicit.username, password: explicit.password };
    this.#config ??= readDockerConfig(this.#configDir);
    return credentialFromDockerConfig(await this.#config, registry, this.#env);
  }
}
