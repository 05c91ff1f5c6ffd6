/** A smithd client for one command run, from flags, environment and contexts; always closed after. */
import { createOutput, type Output, printDiagnostic } from '@deploysmith/cli-kit';
import { SmithClient } from '@deploysmith/client';
import { type Config, configPath, emptyConfig } from '../config/config.ts';
import { type Connection, type ConnectionFlags, resolveConnection } from '../config/resolve.ts';
import { USER_AGENT } from '../version.ts';
import type { CommandOptions } from './options.ts';

export interface Session {
  client: SmithClient;
  output: Output;
  connection: Connection;
}

const given = (value: string | undefined) => value !== undefined && value !== '';

/** Contexts matter only when a setting is missing from flags and environment, or one is named. */
export function needsContexts(flags: ConnectionFlags, env: NodeJS.ProcessEnv): boolean {
  const server = given(flags.server) || given(env.SMITH_URL);
  const apiKey = given(flags.apiKey) || given(env.SMITH_API_KEY);
  return given(flags.context) || !server || !apiKey;
}

export async function openSession(
  options: CommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Session> {
  const output = createOutput({ json: options.json === true, env });
  const path = configPath(env);
  let config: Config = emptyConfig();
  // The file's reader (YAML, schema checks) is loaded only when the file is needed: a run with
  // SMITH_URL and SMITH_API_KEY, as in CI, neither reads it nor trips on a stale one.
  const file = needsContexts(options, env) ? await import('../config/config-file.ts') : undefined;
  if (file) config = await file.readConfig(path);
  const connection = resolveConnection(options, env, config);
  if (file && connection.from.apiKey === 'context' && (await file.isReadableByOthers(path))) {
    printDiagnostic(
      `${output.color.yellow('warning:')} ${path} holds API keys and others can read it: chmod 600 ${path}`,
    );
  }
  const client = new SmithClient({
    server: connection.server,
    apiKey: connection.apiKey,
    userAgent: USER_AGENT,
  });
  return { client, output, connection };
}

/** Runs `work` with a session and closes its connections, so the process ends as soon as it is done. */
export async function withSession<T>(
  options: CommandOptions,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(options);
  try {
    return await work(session);
  } finally {
    await session.client.close();
  }
}
