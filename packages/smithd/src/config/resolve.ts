/**
 * The configuration smithd runs with: defaults, then the YAML file (`--config`), then `SMITHD_*`
 * variables, then flags, each layer overriding the one before it key by key; then checked as a whole.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import Value from 'typebox/value';
import type { KustomizeCheck, RepoConfig } from '../repo/types.ts';
import { type ConfigFlags, envLayer, flagsLayer, readConfigFile } from './layers.ts';
import { defaultPublicUrl, isLoopback, type ListenAddress, parseListen } from './listen.ts';
import { parseS3Url, type S3Location } from './s3-url.ts';
import { ConfigFile } from './schema.ts';

export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
export type StorageLocation = { kind: 'file'; path: string } | S3Location;

export interface Limits {
  requestBytes: number;
  bundleBytes: number;
  bundleFiles: number;
  unpackedBytes: number;
}

export interface SmithdConfig {
  dataDir: string;
  listen: ListenAddress;
  /** Base of the URLs smithd hands out (upload targets). */
  publicUrl: string;
  insecureListen: boolean;
  database: DatabaseLocation;
  storage: StorageLocation;
  tls: { cert: string; key: string } | null;
  kustomizeCheck: KustomizeCheck;
  logLevel: string;
  /** Configured repos, or the embedded one (`<data-dir>/gitops.git`) when none is. */
  repos: RepoConfig[];
  /** True when `repos` is the embedded bare repository smithd creates itself. */
  embeddedRepo: boolean;
  /** Environments the embedded repository is created with. */
  environments: string[];
  limits: Limits;
}

export const DEFAULTS = {
  dataDir: '.deploysmith',
  listen: '127.0.0.1:8420',
  branch: 'main',
  author: { name: 'DeploySmith', email: 'smithd@deploysmith.invalid' },
  environments: ['staging', 'production'],
  embeddedRepoName: 'gitops',
  kustomizeCheck: 'auto' as KustomizeCheck,
  logLevel: 'info',
  limits: {
    requestBytes: 1024 * 1024,
    bundleBytes: 64 * 1024 * 1024,
    bundleFiles: 1000,
    unpackedBytes: 256 * 1024 * 1024,
  },
};

export interface LoadOptions {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadConfig(options: LoadOptions = {}): SmithdConfig {
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const cwd = options.cwd ?? process.cwd();
  const configPath = flags.config ?? (env.SMITHD_CONFIG || undefined);
  const file = configPath === undefined ? {} : readConfigFile(resolve(cwd, configPath));
  const merged = mergeLayers(file, envLayer(env), flagsLayer(flags));
  return resolveConfig(merged, cwd);
}

/** Later layers win key by key; `limits` merges per limit, lists (repos, environments) are replaced. */
export function mergeLayers(...layers: ConfigFile[]): ConfigFile {
  const merged: ConfigFile = {};
  for (const layer of layers) {
    const { limits, ...rest } = layer;
    Object.assign(merged, rest);
    if (limits) merged.limits = { ...merged.limits, ...limits };
  }
  return merged;
}

export function resolveConfig(merged: ConfigFile, cwd: string): SmithdConfig {
  if (!Value.Check(ConfigFile, merged)) {
    const [error] = Value.Errors(ConfigFile, merged);
    const field = error?.instancePath.split('/').filter(Boolean).join('.') ?? '';
    throw new DeploySmithError(
      'invalid_input',
      `Invalid configuration: ${field || 'value'} ${error?.message ?? ''}.`,
      {
        hint: 'See the configuration reference in the smithd README.',
      },
    );
  }
  const dataDir = resolve(cwd, merged.dataDir ?? DEFAULTS.dataDir);
  const listen = parseListen(merged.listen ?? DEFAULTS.listen, 'the listen address');
  const tls = merged.tls ? { cert: resolve(cwd, merged.tls.cert), key: resolve(cwd, merged.tls.key) } : null;
  const insecureListen = merged.insecureListen ?? false;
  if (!tls && !insecureListen && !isLoopback(listen.host)) {
    throw new DeploySmithError(
      'invalid_input',
      `Refusing to listen on ${listen.host}:${listen.port} without TLS: API keys would cross the network in clear text.`,
      {
        hint: 'Give --tls-cert and --tls-key, or --insecure-listen when TLS ends at an ingress or load balancer in front of smithd.',
      },
    );
  }
  const author = merged.author ?? DEFAULTS.author;
  const configured = merged.repos ?? [];
  const names = new Set<string>();
  for (const repo of configured) {
    if (names.has(repo.name)) {
      throw new DeploySmithError('invalid_input', `Repository ${repo.name} is configured twice.`, {
        hint: 'Give each GitOps repository its own name.',
      });
    }
    names.add(repo.name);
  }
  const repos: RepoConfig[] =
    configured.length > 0
      ? configured.map((repo) => ({
          name: repo.name,
          url: repoUrl(repo.url, cwd),
          branch: repo.branch ?? DEFAULTS.branch,
          author: repo.author ?? author,
        }))
      : [
          {
            name: DEFAULTS.embeddedRepoName,
            url: join(dataDir, 'gitops.git'),
            branch: DEFAULTS.branch,
            author,
          },
        ];
  return {
    dataDir,
    listen,
    publicUrl: (merged.publicUrl ?? defaultPublicUrl(listen, tls !== null)).replace(/\/+$/, ''),
    insecureListen,
    database: parseDatabase(merged.database ?? `sqlite:${join(dataDir, 'smithd.db')}`, cwd),
    storage: parseStorage(merged.storage ?? `file:${join(dataDir, 'storage')}`, cwd),
    tls,
    kustomizeCheck: merged.kustomizeCheck ?? DEFAULTS.kustomizeCheck,
    logLevel: merged.logLevel ?? DEFAULTS.logLevel,
    repos,
    embeddedRepo: configured.length === 0,
    environments: merged.environments ?? DEFAULTS.environments,
    limits: { ...DEFAULTS.limits, ...merged.limits },
  };
}

/** A local path (relative to the working directory) becomes absolute; URLs stay as they are. */
function repoUrl(url: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/:]+:/.test(url) || url.startsWith('file:'))
    return url;
  return isAbsolute(url) ? url : resolve(cwd, url);
}

export function parseDatabase(url: string, cwd: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path !== '') return { kind: 'sqlite', path: resolve(cwd, path) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  throw new DeploySmithError('invalid_input', `Unsupported database URL ${JSON.stringify(redactUrl(url))}.`, {
    hint: 'Use sqlite:PATH (e.g. sqlite:.deploysmith/smithd.db) or postgres://user:password@host/db.',
  });
}

export function parseStorage(url: string, cwd: string): StorageLocation {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path !== '') return { kind: 'file', path: resolve(cwd, path) };
  }
  if (url.startsWith('s3://')) return parseS3Url(url);
  throw new DeploySmithError('invalid_input', `Unsupported storage URL ${JSON.stringify(redactUrl(url))}.`, {
    hint: 'Use file:PATH (e.g. file:.deploysmith/storage) or s3://bucket/prefix?region=….',
  });
}

/** URLs may carry passwords; never print them. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}
