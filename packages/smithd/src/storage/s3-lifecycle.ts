/**
 * The bucket lifecycle rule that expires drafts after 7 days, ensured at start-up. Rules other
 * programs (or other smithd prefixes) put on the bucket are kept: ours is found by its ID and
 * replaced only when it differs. A store without lifecycle support, or a key without permission,
 * is told in a warning and smithd goes on: the janitor deletes expired drafts itself.
 */
import {
  GetBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { s3ErrorName, s3Status, storageUnavailable } from './s3-errors.ts';
import { DRAFT_TTL_MS, type DraftExpiry } from './types.ts';

const DAYS = DRAFT_TTL_MS / (24 * 60 * 60 * 1000);
const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed', 'NotSupported', 'XNotImplemented']);

export async function ensureDraftLifecycle(
  client: S3Client,
  options: { bucket: string; draftsPrefix: string; store: string },
): Promise<DraftExpiry> {
  const { bucket, draftsPrefix, store } = options;
  let rules: LifecycleRule[];
  try {
    const current = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    rules = current.Rules ?? [];
  } catch (error) {
    if (s3ErrorName(error) === 'NoSuchLifecycleConfiguration') rules = [];
    else return unsupportedOrThrow(error, store, 'reading the lifecycle rules');
  }
  const wanted = withDraftRule(rules, draftsPrefix);
  if (wanted === undefined) return { state: 'present' };
  try {
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: wanted },
      }),
    );
  } catch (error) {
    return unsupportedOrThrow(error, store, 'writing the lifecycle rule');
  }
  return { state: 'created' };
}

/**
 * The bucket's rules with ours (expire `draftsPrefix` after 7 days) in place, the others as they
 * were; undefined when ours is there already as it should be.
 */
export function withDraftRule(rules: LifecycleRule[], draftsPrefix: string): LifecycleRule[] | undefined {
  const id = `deploysmith-expire-${draftsPrefix}`.slice(0, 255);
  const wanted: LifecycleRule = {
    ID: id,
    Status: 'Enabled',
    Filter: { Prefix: draftsPrefix },
    Expiration: { Days: DAYS },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: DAYS },
  };
  const ours = rules.find((rule) => rule.ID === id);
  if (ours !== undefined && sameRule(ours, wanted)) return undefined;
  return [...rules.filter((rule) => rule.ID !== id), wanted];
}

function sameRule(a: LifecycleRule, b: LifecycleRule): boolean {
  return (
    a.Status === b.Status &&
    (a.Filter?.Prefix ?? a.Prefix) === b.Filter?.Prefix &&
    a.Filter?.Tag === undefined &&
    a.Filter?.And === undefined &&
    a.Expiration?.Days === b.Expiration?.Days &&
    a.AbortIncompleteMultipartUpload?.DaysAfterInitiation ===
      b.AbortIncompleteMultipartUpload?.DaysAfterInitiation
  );
}

function unsupportedOrThrow(error: unknown, store: string, action: string): DraftExpiry {
  const name = s3ErrorName(error);
  const status = s3Status(error);
  if (UNSUPPORTED.has(name) || status === 501 || status === 405) {
    return { state: 'unsupported', reason: `${store} does not support lifecycle rules (${name})` };
  }
  if (name === 'AccessDenied' || status === 403) {
    return {
      state: 'unsupported',
      reason: `smithd's credentials may not manage the lifecycle rules of ${store} (${name}; needs s3:GetLifecycleConfiguration and s3:PutLifecycleConfiguration)`,
    };
  }
  throw storageUnavailable(store, action, error);
}
