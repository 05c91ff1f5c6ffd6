/** Where smithd is and the key to it: a flag, else the environment variable. */
import { parseServerUrl } from '@deploysmith/client';
import { DeploySmithError } from '@deploysmith/core';

export interface Connection {
  server: string;
  apiKey: string;
}

export function resolveConnection(
  flags: { server?: string; apiKey?: string },
  env: Record<string, string | undefined> = process.env,
): Connection {
  const server = flags.server ?? nonEmpty(env.SMITH_URL);
  if (server === undefined) {
    throw new DeploySmithError('invalid_input', 'No smithd server given.', {
      hint: 'Pass --server https://smithd.example.com or set SMITH_URL.',
    });
  }
  // Checked before anything is validated, packed or written: a file: or javascript: server is a typo to fix first.
  parseServerUrl(server);
  const apiKey = flags.apiKey ?? nonEmpty(env.SMITH_API_KEY);
  if (apiKey === undefined) {
    throw new DeploySmithError('unauthorized', 'No API key given.', {
      hint: 'Pass --api-key or set SMITH_API_KEY (in CI, from a secret store).',
    });
  }
  return { server, apiKey };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
