import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkGrant, signGrant, type UploadGrant } from './signing.ts';

const secret = randomBytes(32);
const grant: UploadGrant = {
  key: 'drafts/hello/1.0.0/bundle.tar.gz',
  sha256: 'a'.repeat(64),
  size: 1234,
  expires: 1_000_300,
};

describe('upload URL signatures', () => {
  it('accepts the signature it made until the expiry', () => {
    const signature = signGrant(secret, grant);
    expect(checkGrant(secret, grant, signature, 1_000_000)).toBe('valid');
    expect(checkGrant(secret, grant, signature, 1_000_300)).toBe('valid');
  });

  it('refuses it after the expiry', () => {
    expect(checkGrant(secret, grant, signGrant(secret, grant), 1_000_301)).toBe('expired');
  });

  it('refuses it for another key, checksum, size or expiry', () => {
    const signature = signGrant(secret, grant);
    expect(checkGrant(secret, { ...grant, key: 'drafts/hello/1.0.1/bundle.tar.gz' }, signature, 0)).toBe(
      'invalid',
    );
    expect(checkGrant(secret, { ...grant, sha256: 'b'.repeat(64) }, signature, 0)).toBe('invalid');
    expect(checkGrant(secret, { ...grant, size: 1235 }, signature, 0)).toBe('invalid');
    expect(checkGrant(secret, { ...grant, expires: grant.expires + 3600 }, signature, 0)).toBe('invalid');
  });

  it('refuses a signature made with another secret, and garbage', () => {
    expect(checkGrant(secret, grant, signGrant(randomBytes(32), grant), 0)).toBe('invalid');
    expect(checkGrant(secret, grant, 'not-hex', 0)).toBe('invalid');
    expect(checkGrant(secret, grant, '', 0)).toBe('invalid');
  });
});
