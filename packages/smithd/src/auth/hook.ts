/**
 * Every route needs `Authorization: Bearer dsk_…` unless it is declared `config: { auth: false }`
 * (health, readiness, the signed upload). A missing, wrong or revoked key gets 401.
 */
import { DeploySmithError } from '@deploysmith/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/connect.ts';
import { findActiveKeysByPrefix } from '../db/keys.ts';
import { bearerKey, keyMatches, keyPrefix } from './keys.ts';

export interface Caller {
  keyId: string;
  /** The key's name: what deployments record as requestedBy. */
  name: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on the few routes anyone may call. */
    auth?: boolean;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export function installAuth(app: FastifyInstance, database: Database): void {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    // Unknown routes fall through to the 404 handler, which tells nothing about the API.
    if (request.routeOptions.url === undefined || request.routeOptions.config.auth === false) return;
    request.caller = await authenticate(database, request);
  });
}

async function authenticate(database: Database, request: FastifyRequest): Promise<Caller> {
  const key = bearerKey(request.headers.authorization);
  if (key !== undefined) {
    const candidates = await findActiveKeysByPrefix(database.db, keyPrefix(key));
    const match = candidates.find((row) => keyMatches(key, row.hash));
    if (match) return { keyId: match.id, name: match.name };
  }
  throw new DeploySmithError(
    'unauthorized',
    key === undefined ? 'This route needs an API key.' : 'The API key is not valid (wrong or revoked).',
    {
      hint: 'Send Authorization: Bearer <key>; an admin creates keys with `smithd keys create --name NAME`.',
    },
  );
}

/** The authenticated caller of a route that requires a key. */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new Error('route without authentication asked for its caller');
  return request.caller;
}
