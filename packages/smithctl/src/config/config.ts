/**
 * The shape of smithctl's contexts and where they are kept. No parser here: a command whose
 * server and key come from flags or the environment never loads the file's reader.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Context names: what a person types after --context; safe in YAML keys and in messages. */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface ContextEntry {
  server: string;
  apiKey: string;
}

export interface Config {
  currentContext: string | null;
  contexts: Record<string, ContextEntry>;
}

export function emptyConfig(): Config {
  return { currentContext: null, contexts: {} };
}

/** `$XDG_CONFIG_HOME/deploysmith/config.yaml`, or `~/.config/…` when XDG_CONFIG_HOME is unset or relative. */
export function configPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg?.startsWith('/') ? xdg : join(home, '.config');
  return join(base, 'deploysmith', 'config.yaml');
}
