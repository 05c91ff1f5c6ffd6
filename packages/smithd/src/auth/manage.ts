/** Creating, listing and revoking API keys, and the admin key of a first start. */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertKeyName, DeploySmithError } from '@deploysmith/core';
import type { Database } from '../db/connect.ts';
import { type ApiKeyRow, countActiveKeys, findActiveKeys, insertKey, revokeKey } from '../db/keys.ts';
import { writeTransaction } from '../db/transaction.ts';
import { generateKey, hashKey, keyPrefix } from './keys.ts';

export const ADMIN_KEY_FILE = 'admin.key';

export interface CreatedKey {
  /** Shown once; only its hash is stored. */
  key: string;
  row: ApiKeyRow;
}

export async function createApiKey(database: Database, name: string): Promise<CreatedKey> {
  assertKeyName(name);
  const key = generateKey();
  const row = await writeTransaction(database, async (trx) => {
    const existing = await findActiveKeys(trx, name);
    if (existing.some((row) => row.name === name)) {
      throw new DeploySmithError('conflict', `An API key named ${name} already exists.`, {
        hint: `Choose another name, or revoke the old key first: smithd keys revoke ${name}`,
      });
    }
    return insertKey(trx, {
      name,
      prefix: keyPrefix(key),
      hash: hashKey(key),
      createdAt: new Date().toISOString(),
    });
  });
  return { key, row };
}

export async function revokeApiKey(database: Database, idOrName: string): Promise<ApiKeyRow> {
  return writeTransaction(database, async (trx) => {
    const matches = await findActiveKeys(trx, idOrName);
    const [match] = matches;
    if (match === undefined) {
      throw new DeploySmithError('not_found', `No active API key has the id or name ${idOrName}.`, {
        hint: 'List the keys with: smithd keys list',
      });
    }
    if (matches.length > 1) {
      throw new DeploySmithError('conflict', `More than one active key matches ${idOrName}.`, {
        hint: 'Revoke by id (see smithd keys list).',
      });
    }
    const revokedAt = new Date().toISOString();
    await revokeKey(trx, match.id, revokedAt);
    return { ...match, revoked_at: revokedAt };
  });
}

/**
 * On a start with no active key, creates one named "admin" and writes it to `<data-dir>/admin.key`
 * (mode 0600); returns that path, or undefined when keys exist. The key itself is never printed.
 */
export async function ensureAdminKey(database: Database, dataDir: string): Promise<string | undefined> {
  if ((await countActiveKeys(database.db)) > 0) return undefined;
  const key = generateKey();
  // Replicas starting at once on one new database: the count is taken again inside the write
  // transaction (one writer at a time), so only one of them creates the admin key.
  const row = await writeTransaction(database, async (trx) => {
    if ((await countActiveKeys(trx)) > 0) return undefined;
    const name = (await findActiveKeys(trx, 'admin')).length === 0 ? 'admin' : `admin-${Date.now()}`;
    return insertKey(trx, {
      name,
      prefix: keyPrefix(key),
      hash: hashKey(key),
      createdAt: new Date().toISOString(),
    });
  });
  if (row === undefined) return undefined;
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, ADMIN_KEY_FILE);
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  // writeFile keeps the mode of a file that already exists.
  await chmod(path, 0o600);
  return path;
}
