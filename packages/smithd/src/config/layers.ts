/**
 * The configuration layers, each turned into the shape of the configuration file: the YAML file,
 * the `SMITHD_*` environment and the command-line flags. `resolve.ts` merges them in that order.
 */
import { readFileSync } from 'node:fs';
import { DeploySmithError } from '@deploysmith/core';
import Value from 'typebox/value';
import { parseDocument } from 'yaml';
import { ConfigFile } from './schema.ts';

/** Options every smithd command accepts (commander camel-cases the flag names). */
export interface ConfigFlags {
  config?: string;
  dataDir?: string;
  listen?: string;
  publicUrl?: string;
  insecureListen?: boolean;
  database?: string;
  storage?: string;
  tlsCert?: string;
  tlsKey?: string;
  kustomizeCheck?: string;
  logLevel?: string;
  gitopsRepo?: string[];
  environments?: string;
  gitAuthor?: string;
}

export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DeploySmithError(
      'invalid_input',
      `Cannot read the configuration file ${path}: ${(error as Error).message}`,
      {
        hint: 'Check the path given to --config (or SMITHD_CONFIG).',
      },
    );
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  const [problem] = doc.errors;
  if (problem) {
    throw new DeploySmithError('invalid_input', `${path}: ${problem.message.split('\n')[0]}`, {
      details: [
        { file: path, line: problem.linePos?.[0]?.line, message: problem.message.split('\n')[0] ?? '' },
      ],
    });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (!Value.Check(ConfigFile, value)) {
    const details = [...Value.Errors(ConfigFile, value)].map((error) => ({
      file: path,
      field: fieldOf(error.instancePath, error.params),
      message: error.message,
    }));
    const first = details[0];
    throw new DeploySmithError(
      'invalid_input',
      `${path}: ${first?.field ? `${first.field} ` : ''}${first?.message ?? 'is not a valid configuration'}.`,
      { details, hint: 'See the configuration reference in the smithd README.' },
    );
  }
  return value;
}

function fieldOf(instancePath: string, params: unknown): string {
  const extra = (params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
  const parts = instancePath.split('/').filter(Boolean);
  if (extra?.[0]) parts.push(extra[0]);
  return parts.join('.');
}

export function envLayer(env: NodeJS.ProcessEnv): ConfigFile {
  const layer: ConfigFile = {};
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  assign(layer, 'dataDir', get('SMITHD_DATA_DIR'));
  assign(layer, 'listen', get('SMITHD_LISTEN'));
  assign(layer, 'publicUrl', get('SMITHD_PUBLIC_URL'));
  assign(layer, 'database', databaseFromEnv(get('SMITHD_DATABASE_URL'), get('SMITHD_DATABASE')));
  assign(layer, 'storage', get('SMITHD_STORAGE'));
  const insecure = get('SMITHD_INSECURE_LISTEN');
  if (insecure !== undefined) layer.insecureListen = parseBoolean(insecure, 'SMITHD_INSECURE_LISTEN');
  const kustomize = get('SMITHD_KUSTOMIZE_CHECK');
  if (kustomize !== undefined)
    layer.kustomizeCheck = parseKustomizeCheck(kustomize, 'SMITHD_KUSTOMIZE_CHECK');
  const level = get('SMITHD_LOG_LEVEL');
  if (level !== undefined) layer.logLevel = parseLogLevel(level, 'SMITHD_LOG_LEVEL');
  const tls = tlsPair(get('SMITHD_TLS_CERT'), get('SMITHD_TLS_KEY'), 'SMITHD_TLS_CERT and SMITHD_TLS_KEY');
  if (tls) layer.tls = tls;
  const repos = get('SMITHD_REPOS');
  if (repos !== undefined)
    layer.repos = repos.split(',').map((spec) => parseRepoSpec(spec.trim(), 'SMITHD_REPOS'));
  const environments = get('SMITHD_ENVIRONMENTS');
  if (environments !== undefined) layer.environments = parseList(environments);
  const author = get('SMITHD_GIT_AUTHOR');
  if (author !== undefined) layer.author = parseAuthor(author, 'SMITHD_GIT_AUTHOR');
  return layer;
}

export function flagsLayer(flags: ConfigFlags): ConfigFile {
  const layer: ConfigFile = {};
  assign(layer, 'dataDir', flags.dataDir);
  assign(layer, 'listen', flags.listen);
  assign(layer, 'publicUrl', flags.publicUrl);
  assign(layer, 'database', flags.database);
  assign(layer, 'storage', flags.storage);
  if (flags.insecureListen) layer.insecureListen = true;
  if (flags.kustomizeCheck !== undefined)
    layer.kustomizeCheck = parseKustomizeCheck(flags.kustomizeCheck, '--kustomize-check');
  if (flags.logLevel !== undefined) layer.logLevel = parseLogLevel(flags.logLevel, '--log-level');
  const tls = tlsPair(flags.tlsCert, flags.tlsKey, '--tls-cert and --tls-key');
  if (tls) layer.tls = tls;
  if (flags.gitopsRepo !== undefined && flags.gitopsRepo.length > 0) {
    layer.repos = flags.gitopsRepo.map((spec) => parseRepoSpec(spec, '--gitops-repo'));
  }
  if (flags.environments !== undefined) layer.environments = parseList(flags.environments);
  if (flags.gitAuthor !== undefined) layer.author = parseAuthor(flags.gitAuthor, '--git-author');
  return layer;
}

function assign<K extends 'dataDir' | 'listen' | 'publicUrl' | 'database' | 'storage'>(
  layer: ConfigFile,
  key: K,
  value: string | undefined,
): void {
  if (value !== undefined) layer[key] = value;
}

/** `SMITHD_DATABASE_URL`, or `SMITHD_DATABASE` (its older name); both set must agree. */
function databaseFromEnv(url: string | undefined, alias: string | undefined): string | undefined {
  if (url !== undefined && alias !== undefined && url !== alias) {
    throw new DeploySmithError(
      'invalid_input',
      'SMITHD_DATABASE_URL and SMITHD_DATABASE name different databases.',
      { hint: 'Set only SMITHD_DATABASE_URL (SMITHD_DATABASE is its older name).' },
    );
  }
  return url ?? alias;
}

function parseBoolean(value: string, source: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new DeploySmithError(
    'invalid_input',
    `${source} must be true or false, not ${JSON.stringify(value)}.`,
  );
}

function parseKustomizeCheck(value: string, source: string): 'auto' | 'always' | 'never' {
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new DeploySmithError(
    'invalid_input',
    `${source} must be auto, always or never, not ${JSON.stringify(value)}.`,
  );
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

function parseLogLevel(value: string, source: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new DeploySmithError(
    'invalid_input',
    `${source} must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(value)}.`,
  );
}

function tlsPair(cert: string | undefined, key: string | undefined, source: string) {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new DeploySmithError('invalid_input', `${source} must be given together.`, {
      hint: 'HTTPS needs both the certificate (PEM) and its private key (PEM).',
    });
  }
  return { cert, key };
}

/** `name=url` or `name=url#branch`; a bare `url` is the repo named "gitops". */
export function parseRepoSpec(spec: string, source: string) {
  const match = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)=)?([^#]+)(?:#(.+))?$/.exec(spec);
  if (!match) {
    throw new DeploySmithError('invalid_input', `Invalid repository ${JSON.stringify(spec)} in ${source}.`, {
      hint: 'Use name=url or name=url#branch, e.g. gitops=git@github.com:acme/gitops.git#main.',
    });
  }
  return {
    name: match[1] ?? 'gitops',
    url: match[3]!,
    ...(match[4] === undefined ? {} : { branch: match[4] }),
  };
}

/** `Name <email>`, as git writes it. */
export function parseAuthor(value: string, source: string): { name: string; email: string } {
  const match = /^\s*(.+?)\s*<([^<>\s]+)>\s*$/.exec(value);
  if (!match) {
    throw new DeploySmithError(
      'invalid_input',
      `Invalid commit author ${JSON.stringify(value)} in ${source}.`,
      {
        hint: 'Use "Name <email>", e.g. "DeploySmith <deploysmith@example.com>".',
      },
    );
  }
  return { name: match[1]!, email: match[2]! };
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
