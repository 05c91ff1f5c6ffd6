/**
 * Which smithd to talk to and with which key. Each setting comes from the first of: the flag
 * (`--server`, `--api-key`), the environment (`SMITH_URL`, `SMITH_API_KEY`), the context named by
 * `--context`, or else the current context. A context's key is bound to its server: it is never sent
 * to a different server given by flag or environment.
 */
import { DeploySmithError } from '@deploysmith/core';
import type { Config } from './config.ts';
import { requireContext } from './contexts.ts';

export interface ConnectionFlags {
  server?: string;
  apiKey?: string;
  context?: string;
}

export type Source = 'flag' | 'env' | 'context';

export interface Connection {
  server: string;
  apiKey: string;
  /** The context the settings (or some of them) came from, if any. */
  context: string | null;
  from: { server: Source; apiKey: Source };
}

const LOGIN_HINT =
  'Run `smithctl login --server URL --api-key KEY`, or set SMITH_URL and SMITH_API_KEY (or pass --server and --api-key).';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  config: Config,
): Connection {
  const contextName = nonEmpty(flags.context) ?? config.currentContext;
  // A context asked for by name must exist; the current one always does (the file is checked on read).
  const entry = contextName === null ? undefined : requireContext(config, contextName);

  const pick = (flag: string | undefined, envName: string, fromContext: string | undefined) => {
    const fromFlag = nonEmpty(flag);
    if (fromFlag !== undefined) return { value: fromFlag, source: 'flag' as const };
    const fromEnv = nonEmpty(env[envName]);
    if (fromEnv !== undefined) return { value: fromEnv, source: 'env' as const };
    if (fromContext !== undefined) return { value: fromContext, source: 'context' as const };
    return undefined;
  };

  const server = pick(flags.server, 'SMITH_URL', entry?.server);
  if (server === undefined) {
    throw new DeploySmithError('invalid_input', 'No smithd server is configured.', { hint: LOGIN_HINT });
  }
  const keyBelongsToServer = entry !== undefined && sameServer(entry.server, server.value);
  const apiKey = pick(flags.apiKey, 'SMITH_API_KEY', keyBelongsToServer ? entry.apiKey : undefined);
  if (apiKey === undefined) {
    const why =
      entry !== undefined && !keyBelongsToServer
        ? ` (the key of context "${contextName}" belongs to ${entry.server} and is not sent elsewhere)`
        : '';
    throw new DeploySmithError('unauthorized', `No API key for ${server.value}${why}.`, { hint: LOGIN_HINT });
  }
  const usesContext = server.source === 'context' || apiKey.source === 'context';
  return {
    server: server.value,
    apiKey: apiKey.value,
    context: usesContext ? contextName : null,
    from: { server: server.source, apiKey: apiKey.source },
  };
}

/** Same smithd: equal after the normalisation URL parsing does (case, default port, trailing slash). */
export function sameServer(a: string, b: string): boolean {
  const normal = (value: string) => {
    try {
      const url = new URL(value);
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return value;
    }
  };
  return normal(a) === normal(b);
}
