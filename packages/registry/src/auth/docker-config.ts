/**
 * Registry credentials the way `docker login` leaves them: `$DOCKER_CONFIG/config.json` (default
 * `~/.docker/config.json`) with `auths`, a per-registry `credHelpers` entry, or a `credsStore` for
 * all registries; helpers are `docker-credential-<name>` programs speaking the credential-helper
 * protocol (server URL on stdin, `{ServerURL, Username, Secret}` on stdout).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { DOCKER_HUB } from '../reference/parse-image-ref.ts';

export interface Credential {
  username: string;
  password: string;
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the token endpoint. */
  identityToken?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The server URL docker uses as the key for Docker Hub. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(homedir(), '.docker');
}

/** Reads `config.json` from the directory; a missing file is an empty config. */
export async function readDockerConfig(dir: string): Promise<DockerConfig> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new DeploySmithError(
      'invalid_input',
      `Cannot read the docker config ${file}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not a JSON object');
    return parsed as DockerConfig;
  } catch (error) {
    throw new DeploySmithError(
      'invalid_input',
      `The docker config ${file} is not valid JSON: ${(error as Error).message}`,
      {
        hint: 'Fix or remove the file, or point DOCKER_CONFIG at another directory.',
      },
    );
  }
}

/** `https://registry.example.com/v1/` → `registry.example.com`; docker accepts both forms as keys. */
function hostOfKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z]+:\/\//i, '');
  return withoutScheme.split('/')[0] ?? withoutScheme;
}

function sameRegistry(key: string, registry: string): boolean {
  const host = hostOfKey(key);
  if (DOCKER_HUB_ALIASES.has(registry)) return DOCKER_HUB_ALIASES.has(host);
  return host === registry;
}

function findKey<T>(map: Record<string, T> | undefined, registry: string): T | undefined {
  if (map === undefined) return undefined;
  const key = Object.keys(map).find((candidate) => sameRegistry(candidate, registry));
  return key === undefined ? undefined : map[key];
}

function fromAuthEntry(entry: AuthEntry, registry: string): Credential | undefined {
  if (entry.identitytoken) {
    return {
      username: entry.username ?? '',
      password: entry.password ?? '',
      identityToken: entry.identitytoken,
    };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) {
      throw new DeploySmithError(
        'invalid_input',
        `The docker config entry for ${registry} has an "auth" value that is not base64(user:password)`,
        {
          hint: `Log in again with \`docker login ${registry}\`.`,
        },
      );
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

/**
 * Credentials for `registry` from a docker config: its `credHelpers` entry, else its `auths` entry,
 * else the `credsStore` helper. Undefined when none has any.
 */
export async function credentialFromDockerConfig(
  config: DockerConfig,
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credential | undefined> {
  const helper = findKey(config.credHelpers, registry);
  if (helper) return runCredentialHelper(helper, registry, env);
  const entry = findKey(config.auths, registry);
  const fromEntry = entry === undefined ? undefined : fromAuthEntry(entry, registry);
  if (fromEntry) return fromEntry;
  if (config.credsStore) return runCredentialHelper(config.credsStore, registry, env);
  return undefined;
}

/** Runs `docker-credential-<name> get`; "credentials not found" means anonymous. */
export async function runCredentialHelper(
  name: string,
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  const serverUrl = DOCKER_HUB_ALIASES.has(registry) ? DOCKER_HUB_KEY : registry;
  // Loaded only when a helper is configured: most runs never start one.
  const { execa } = await import('execa');
  const result = await execa(program, ['get'], {
    input: serverUrl,
    reject: false,
    timeout: 30_000,
    env,
    extendEnv: false,
    encoding: 'utf8',
  });
  if (result.failed) {
    const output = `${result.stdout}\n${result.stderr}`.trim();
    if (/credentials not found/i.test(output)) return undefined;
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    throw new DeploySmithError(
      'unauthorized',
      missing
        ? `The docker config names the credential helper "${name}", but ${program} is not on PATH`
        : `${program} get failed for ${registry}${result.exitCode === undefined ? '' : ` (exit ${result.exitCode})`}: ${output || 'no output'}`,
      {
        hint: `Install ${program}, or remove "${name}" from credHelpers/credsStore in ${join(dockerConfigDir(env), 'config.json')}.`,
      },
    );
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    throw new DeploySmithError(
      'unauthorized',
      `${program} get printed something that is not JSON for ${registry}`,
      {
        hint: `Check the helper by hand: echo ${serverUrl} | ${program} get`,
      },
    );
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : '';
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (secret === '') return undefined;
  // Helpers return an identity (refresh) token with the username "<token>".
  if (username === '<token>') return { username: '', password: '', identityToken: secret };
  return { username, password: secret };
}
