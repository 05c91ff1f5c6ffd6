/** Changes to the set of contexts; each returns a new Config and leaves the one given untouched. */
import { DeploySmithError } from '@deploysmith/core';
import { CONTEXT_NAME, type Config, type ContextEntry } from './config.ts';

export const DEFAULT_CONTEXT = 'default';

export function assertContextName(name: string): string {
  if (!CONTEXT_NAME.test(name)) {
    throw new DeploySmithError('invalid_input', `Invalid context name ${JSON.stringify(name)}.`, {
      hint: 'Use letters, digits, ".", "_" and "-" (at most 63), e.g. "prod" or "staging.eu".',
    });
  }
  return name;
}

/** Adds (or replaces) a context and makes it the current one: what `login` does. */
export function saveContext(config: Config, name: string, entry: ContextEntry): Config {
  assertContextName(name);
  return { currentContext: name, contexts: { ...config.contexts, [name]: entry } };
}

export function useContext(config: Config, name: string): Config {
  requireContext(config, name);
  return { ...config, currentContext: name };
}

/** Removes a context; removing the current one leaves no current context. */
export function removeContext(config: Config, name: string): Config {
  requireContext(config, name);
  const contexts = { ...config.contexts };
  delete contexts[name];
  return { currentContext: config.currentContext === name ? null : config.currentContext, contexts };
}

export function requireContext(config: Config, name: string): ContextEntry {
  const entry = config.contexts[name];
  if (entry === undefined) {
    const known = Object.keys(config.contexts);
    throw new DeploySmithError('invalid_input', `No context named "${name}".`, {
      hint:
        known.length === 0
          ? `There are no contexts yet: run \`smithctl login --server URL --api-key KEY --context ${name}\`.`
          : `Known contexts: ${known.join(', ')}. \`smithctl login --context ${name} …\` adds one.`,
    });
  }
  return entry;
}

export interface ContextSummary {
  name: string;
  server: string;
  current: boolean;
}

/** The contexts without their keys, sorted by name: what `context list` shows. */
export function listContexts(config: Config): ContextSummary[] {
  return Object.entries(config.contexts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => ({ name, server: entry.server, current: name === config.currentContext }));
}
