/**
 * `s3://BUCKET[/PREFIX][?region=…&endpoint=…&pathStyle=true|false]`: where the S3 storage keeps
 * version bundles. Checked when the configuration is read, so a typo stops smithd at start-up
 * instead of failing the first upload.
 */
import { DeploySmithError } from '@deploysmith/core';

export interface S3Location {
  kind: 's3';
  bucket: string;
  /** Key prefix without slashes at either end; '' for the bucket's root. */
  prefix: string;
  /** Unset: the standard AWS chain decides (AWS_REGION, profile). */
  region?: string;
  /** An S3-compatible store (MinIO, Hetzner, Ceph…); unset: AWS. */
  endpoint?: string;
  /** Bucket in the path, not the host name: the default with a custom endpoint. */
  pathStyle: boolean;
  /** The URL as configured, for messages. */
  url: string;
}

const QUERY_KEYS = new Set(['region', 'endpoint', 'pathStyle']);
// S3's bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, letter or digit at the ends.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Url(text: string): S3Location {
  const fail = (problem: string): never => {
    throw new DeploySmithError('invalid_input', `Invalid storage URL ${JSON.stringify(text)}: ${problem}.`, {
      hint: 'Use s3://bucket[/prefix]?region=eu-central-1, adding &endpoint=https://… for an S3-compatible store.',
    });
  };
  const match = /^s3:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(text);
  if (!match) return fail('expected s3://bucket[/prefix][?region=…&endpoint=…]');
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket)) return fail(`${JSON.stringify(bucket)} is not a valid bucket name`);
  const prefix = decodeURIComponent(match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((part) => part === '.' || part === '..') || prefix.includes('//')) {
    fail('the prefix must not contain empty, "." or ".." segments');
  }
  const query = new URLSearchParams(match[3] ?? '');
  for (const key of query.keys()) {
    if (!QUERY_KEYS.has(key)) fail(`unknown parameter ${key} (known: region, endpoint, pathStyle)`);
  }
  const region = query.get('region') || undefined;
  const endpoint = query.get('endpoint') || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    fail(`endpoint ${JSON.stringify(endpoint)} must be an http:// or https:// URL`);
  }
  const pathStyleText = query.get('pathStyle');
  if (pathStyleText !== null && pathStyleText !== 'true' && pathStyleText !== 'false') {
    fail('pathStyle must be true or false');
  }
  const pathStyle = pathStyleText === null ? endpoint !== undefined : pathStyleText === 'true';
  return {
    kind: 's3',
    bucket,
    prefix,
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint: endpoint.replace(/\/+$/, '') }),
    pathStyle,
    url: text,
  };
}

/** `s3://bucket/prefix` (and the endpoint when there is one): how messages name the store. */
export function describeS3(location: S3Location): string {
  const where = `s3://${location.bucket}${location.prefix === '' ? '' : `/${location.prefix}`}`;
  return location.endpoint === undefined ? where : `${where} at ${location.endpoint}`;
}
