/**
 * What an S3 failure means for the request: every failure of the store itself (it does not answer,
 * refuses our credentials, has no such bucket, answers 5xx) is `storage_unavailable` (503) naming
 * the store, so nothing reaches the client as a bare 500.
 */
import { DeploySmithError } from '@deploysmith/core';

interface AwsError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function s3ErrorName(error: unknown): string {
  const e = error as AwsError;
  return e?.name ?? e?.code ?? 'Error';
}

export function s3Status(error: unknown): number | undefined {
  return (error as AwsError)?.$metadata?.httpStatusCode;
}

/** The object (or the lifecycle configuration) is not there: a normal answer, not a failure. */
export function isNotFound(error: unknown): boolean {
  const name = s3ErrorName(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (s3Status(error) === 404 && name !== 'NoSuchBucket');
}

const DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
]);

export function storageUnavailable(store: string, action: string, error: unknown): DeploySmithError {
  if (error instanceof DeploySmithError) return error;
  const name = s3ErrorName(error);
  const detail = (error as AwsError)?.message || name;
  if (name === 'NoSuchBucket') {
    return new DeploySmithError(
      'storage_unavailable',
      `The version storage ${store} has no such bucket (${action}).`,
      {
        hint: 'Create the bucket, or fix the bucket name in --storage (SMITHD_STORAGE).',
        cause: error,
      },
    );
  }
  if (DENIED.has(name) || s3Status(error) === 403) {
    return new DeploySmithError(
      'storage_unavailable',
      `The version storage ${store} refused smithd's credentials (${action}): ${detail}`,
      {
        hint: 'smithd takes AWS credentials from the standard chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance or pod role); give them s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on the bucket.',
        cause: error,
      },
    );
  }
  return new DeploySmithError(
    'storage_unavailable',
    `The version storage ${store} does not answer (${action}): ${detail}`,
    {
      hint: 'Check that the store is reachable from smithd; retry the request once it is back (smithd needs no restart).',
      cause: error,
    },
  );
}
