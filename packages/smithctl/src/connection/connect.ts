/** A smithd client for one command run, from flags, environment and contexts; always closed after. */
import { createOutput, type Output, printDiagnostic } from '@deploysmith/cli-kit';
import { SmithClient } from '@deploysmith/client';
import { configPath, isReadableByOthers, readConfig } from '../config/config-file.ts';
import { type Connection, resolveConnection } from '../config/resolve.ts';
import { USER_AGENT } from '../version.ts';
import type { CommandOptions } from './options.ts';

export interface Session {
  client: SmithClient;
  output: Output;
  connection: Connection;
}

export async function openSession(
  options: CommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Session> {
  const output = createOutput({ json: options.json === true, env });
  const path = configPath(env);
  const config = await readConfig(path);
  const connection = resolveConnection(options, env, config);
  if (connection.from.apiKey === 'context' && (await isReadableByOthers(path))) {
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
