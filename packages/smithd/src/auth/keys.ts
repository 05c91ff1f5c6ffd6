/**
 * API keys: `dsk_` and 32 random bytes. Only a SHA-256 of the key is stored (a key has 256 bits of
 * entropy, so a slow password hash would add nothing); lookup is by the key's first characters, the
 * hash is then compared in constant time.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_KEY_PREFIX } from '@deploysmith/core';

/** How many leading characters of a key are stored in clear to find and recognise it. */
export const KEY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export function generateKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashKey(key: string): string {
  // The one-shot hash: no Hash object per request.
  return hash('sha256', key, 'hex');
}

export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** Constant-time comparison of a presented key against a stored hash. */
export function keyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** What an `Authorization: Bearer dsk_…` header carries, or undefined. */
export function bearerKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = match?.[1];
  return key?.startsWith(API_KEY_PREFIX) && key.length > KEY_PREFIX_LENGTH && key.length <= 128
    ? key
    : undefined;
}
