import { describe, expect, it } from 'vitest';
import { bearerKey, generateKey, hashKey, KEY_PREFIX_LENGTH, keyMatches, keyPrefix } from './keys.ts';

describe('API keys', () => {
  it('carries the dsk_ prefix and enough randomness never to repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateKey));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
  });

  it('is stored as a hash that does not contain the key', () => {
    const key = generateKey();
    const hash = hashKey(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(4, 20));
    expect(hashKey(key)).toBe(hash);
  });

  it('matches only the key it was made from', () => {
    const key = generateKey();
    const hash = hashKey(key);
    expect(keyMatches(key, hash)).toBe(true);
    expect(keyMatches(`${key.slice(0, -1)}x`, hash)).toBe(key.endsWith('x'));
    expect(keyMatches(generateKey(), hash)).toBe(false);
    expect(keyMatches(key, 'abcd')).toBe(false);
  });

  it('keeps a short prefix to recognise a key', () => {
    const key = generateKey();
    expect(keyPrefix(key)).toHaveLength(KEY_PREFIX_LENGTH);
    expect(key.startsWith(keyPrefix(key))).toBe(true);
  });

  it('reads a bearer key from the Authorization header and ignores anything else', () => {
    const key = generateKey();
    expect(bearerKey(`Bearer ${key}`)).toBe(key);
    expect(bearerKey(`bearer ${key}`)).toBe(key);
    expect(bearerKey(undefined)).toBeUndefined();
    expect(bearerKey(`Basic ${key}`)).toBeUndefined();
    expect(bearerKey('Bearer secret')).toBeUndefined();
    expect(bearerKey(`Bearer ${key}${'a'.repeat(200)}`)).toBeUndefined();
  });
});
