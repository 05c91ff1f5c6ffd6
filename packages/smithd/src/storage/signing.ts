/**
 * Signed upload URLs of the disk storage: an HMAC-SHA256 over the storage key, the declared sha256
 * and size, and the expiry, with a secret only smithd knows; the same promise an S3 pre-signed PUT
 * makes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UploadGrant {
  key: string;
  sha256: string;
  size: number;
  /** Unix time in seconds after which the URL is refused. */
  expires: number;
}

export function signGrant(secret: Uint8Array, grant: UploadGrant): string {
  return createHmac('sha256', secret)
    .update(`${grant.key}\n${grant.sha256}\n${grant.size}\n${grant.expires}`)
    .digest('hex');
}

export type GrantCheck = 'valid' | 'expired' | 'invalid';

export function checkGrant(
  secret: Uint8Array,
  grant: UploadGrant,
  signature: string,
  nowSeconds: number,
): GrantCheck {
  const expected = Buffer.from(signGrant(secret, grant), 'hex');
  const presented = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'invalid';
  return nowSeconds > grant.expires ? 'expired' : 'valid';
}
