/**
 * Version storage in an S3 bucket (AWS or an S3-compatible store), with the AWS SDK v3; this file
 * is imported only when `--storage s3://…` is configured. Credentials come from the standard AWS
 * chain. CI uploads straight to the bucket with a pre-signed PUT valid 5 minutes whose signature
 * covers `x-amz-checksum-sha256` and `content-length`, so S3 itself refuses other bytes. smithd still
 * trusts no store: publishing streams the object back and checks its size and sha256 before the
 * server-side copy to `published/`, a copy pinned to the ETag of the bytes that were checked.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DeploySmithError, type UploadTarget } from '@deploysmith/core';
import { describeS3, type S3Location } from '../config/s3-url.ts';
import { isNotFound, s3ErrorName, storageUnavailable } from './s3-errors.ts';
import { ensureDraftLifecycle } from './s3-lifecycle.ts';
import {
  type BundleDeclaration,
  draftKey,
  type LocalBundle,
  publishedKey,
  UPLOAD_URL_TTL_SECONDS,
  type VersionRef,
  type VersionStorage,
} from './types.ts';

const CONTENT_TYPE = 'application/gzip';
/** Headers the pre-signed PUT's signature covers: S3 refuses the PUT unless they are sent as signed. */
const SIGNED_HEADERS = new Set(['content-length', 'content-type', 'x-amz-checksum-sha256']);

export interface S3StorageOptions {
  /** Where downloaded bundles wait while they are read (removed when released). */
  tmpDir: string;
}

export async function openS3Storage(
  location: S3Location,
  options: S3StorageOptions,
): Promise<VersionStorage> {
  const store = describeS3(location);
  const bucket = location.bucket;
  const keyOf = (key: string) => (location.prefix === '' ? key : `${location.prefix}/${key}`);
  const client = new S3Client({
    ...(location.region === undefined
      ? location.endpoint === undefined
        ? {}
        : { region: 'us-east-1' }
      : { region: location.region }),
    ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }),
    forcePathStyle: location.pathStyle,
    // The checksum smithd asks for is the only one: the SDK's default CRC32 would be added to the
    // pre-signed URL as the checksum of an empty body.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
  // Without a region the SDK would fail every request later; say so now, at start-up.
  const region = await client.config.region().catch(() => undefined);
  if (!region) {
    client.destroy();
    throw new DeploySmithError('invalid_input', `No AWS region for the version storage ${store}.`, {
      hint: 'Add ?region=… to the storage URL, or set AWS_REGION (or a region in the AWS profile).',
    });
  }
  const tmpDir = options.tmpDir;
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  /** ETag of each draft this process has checked, so promote copies exactly those bytes. */
  const checked = new Map<string, { etag: string; sha256: string; size: number }>();

  const fail = (action: string) => (error: unknown) => {
    throw storageUnavailable(store, action, error);
  };

  const head = async (key: string): Promise<HeadObjectCommandOutput | undefined> => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw storageUnavailable(store, `looking up ${key}`, error);
    }
  };

  /**
   * Streams the object through a sha256 and a byte count into `sink` (a temp file, or nowhere) and
   * checks both against the declaration; returns the ETag of the bytes checked.
   */
  const verify = async (
    ref: VersionRef,
    key: string,
    bundle: BundleDeclaration,
    sink: () => Writable,
  ): Promise<string> => {
    let object: Awaited<ReturnType<typeof getObject>>;
    try {
      object = await getObject(client, bucket, key);
    } catch (error) {
      if (isNotFound(error)) {
        throw new DeploySmithError(
          'invalid_bundle',
          `No bundle was uploaded for ${ref.app} ${ref.version}.`,
          {
            hint: 'PUT the bundle to the upload URL the draft returned, then publish (forge publish does both).',
          },
        );
      }
      throw storageUnavailable(store, `reading ${key}`, error);
    }
    const body = object.Body as Readable;
    if (object.ContentLength !== undefined && object.ContentLength !== bundle.size) {
      body.destroy();
      throw sizeMismatch(object.ContentLength, bundle.size);
    }
    const hash = createHash('sha256');
    let received = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > bundle.size) {
          callback(sizeMismatch(received, bundle.size));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, count, sink());
    } catch (error) {
      throw error instanceof DeploySmithError ? error : storageUnavailable(store, `reading ${key}`, error);
    }
    if (received !== bundle.size) throw sizeMismatch(received, bundle.size);
    const actual = hash.digest('hex');
    if (bundle.sha256 !== '' && actual !== bundle.sha256) {
      throw new DeploySmithError(
        'checksum_mismatch',
        `The stored bundle's sha256 is ${actual}; the draft declared ${bundle.sha256}.`,
        { hint: 'Upload the bundle again (forge publish).' },
      );
    }
    return object.ETag ?? '';
  };

  /** Downloads `key` to a temp file for reading; the file goes when the bundle is released. */
  const download = async (
    ref: VersionRef,
    key: string,
    bundle: BundleDeclaration,
  ): Promise<{ local: LocalBundle; etag: string }> => {
    const path = join(tmpDir, `${randomUUID()}.tar.gz`);
    try {
      const etag = await verify(ref, key, bundle, () => createWriteStream(path, { mode: 0o600 }));
      return { local: { path, release: () => rm(path, { force: true }) }, etag };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  };

  return {
    where: store,

    async draftUploadTarget(ref: VersionRef, bundle: BundleDeclaration): Promise<UploadTarget> {
      // Signing needs no network; asking the bucket first makes an unreachable store or a wrong
      // key fail the draft (503), before anything is recorded, not CI's upload later.
      await client.send(new HeadBucketCommand({ Bucket: bucket })).catch(fail('checking the bucket'));
      const checksum = Buffer.from(bundle.sha256, 'hex').toString('base64');
      const expiresAt = new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000);
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: keyOf(draftKey(ref)),
        ContentLength: bundle.size,
        ContentType: CONTENT_TYPE,
        ChecksumSHA256: checksum,
      });
      const url = await getSignedUrl(client, command, {
        expiresIn: UPLOAD_URL_TTL_SECONDS,
        signableHeaders: SIGNED_HEADERS,
        // Kept as headers (not moved into the query) so S3 checks the body against the checksum.
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      }).catch(fail('signing the upload URL'));
      return {
        method: 'PUT',
        url,
        headers: {
          'content-type': CONTENT_TYPE,
          'content-length': String(bundle.size),
          'x-amz-checksum-sha256': checksum,
        },
        expiresAt: expiresAt.toISOString(),
      };
    },

    async openDraft(ref: VersionRef, bundle: BundleDeclaration): Promise<LocalBundle> {
      const key = keyOf(draftKey(ref));
      const { local, etag } = await download(ref, key, bundle);
      checked.set(key, { etag, sha256: bundle.sha256, size: bundle.size });
      return local;
    },

    async promote(ref: VersionRef, bundle: BundleDeclaration): Promise<void> {
      const source = keyOf(draftKey(ref));
      const target = keyOf(publishedKey(ref));
      const existing = await head(target);
      if (existing?.Metadata?.sha256 === bundle.sha256 && existing.ContentLength === bundle.size) {
        // Copied by an earlier attempt whose database write did not happen.
        return;
      }
      const known = checked.get(source);
      const etag =
        known !== undefined && known.sha256 === bundle.sha256 && known.size === bundle.size
          ? known.etag
          : await verify(ref, source, bundle, () => new PassThrough().resume());
      try {
        await client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: target,
            CopySource: `${bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
            ...(etag === '' ? {} : { CopySourceIfMatch: etag }),
            MetadataDirective: 'REPLACE',
            ContentType: CONTENT_TYPE,
            Metadata: { sha256: bundle.sha256 },
          }),
        );
      } catch (error) {
        checked.delete(source);
        if (s3ErrorName(error) === 'PreconditionFailed') {
          throw new DeploySmithError(
            'conflict',
            `The bundle of ${ref.app} ${ref.version} was uploaded again while it was being published.`,
            { hint: 'Publish it again.' },
          );
        }
        throw storageUnavailable(store, `copying ${source} to ${target}`, error);
      }
      checked.delete(source);
    },

    async openPublished(ref: VersionRef): Promise<LocalBundle> {
      const key = keyOf(publishedKey(ref));
      const info = await head(key);
      if (info === undefined || info.ContentLength === undefined) {
        throw new DeploySmithError(
          'storage_unavailable',
          `The bundle of ${ref.app} ${ref.version} is missing from storage.`,
          { hint: `Restore ${key} in ${store} from a backup.` },
        );
      }
      try {
        // The sha256 smithd recorded when it copied the object; one restored without it is taken as it is.
        const sha256 = info.Metadata?.sha256;
        return (await download(ref, key, { sha256: sha256 ?? '', size: info.ContentLength })).local;
      } catch (error) {
        if (error instanceof DeploySmithError && error.code !== 'storage_unavailable') {
          throw new DeploySmithError(
            'storage_unavailable',
            `The stored bundle of ${ref.app} ${ref.version} is damaged: ${error.message}`,
            { hint: `Restore ${key} in ${store} from a backup.` },
          );
        }
        throw error;
      }
    },

    async deleteDraft(ref: VersionRef): Promise<void> {
      const key = keyOf(draftKey(ref));
      checked.delete(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(fail(`deleting ${key}`));
    },

    async discard(ref: VersionRef): Promise<void> {
      const keys = [keyOf(draftKey(ref)), keyOf(publishedKey(ref))];
      for (const key of keys) checked.delete(key);
      await client
        .send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: keys.map((key) => ({ Key: key })), Quiet: true },
          }),
        )
        .catch(fail(`deleting ${keys.join(' and ')}`));
    },

    async purgeDraftsOlderThan(cutoff: Date): Promise<number> {
      let removed = 0;
      let token: string | undefined;
      do {
        const page = await client
          .send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: keyOf('drafts/'),
              ...(token === undefined ? {} : { ContinuationToken: token }),
            }),
          )
          .catch(fail('listing drafts'));
        const old = (page.Contents ?? []).filter(
          (object) =>
            object.Key !== undefined && object.LastModified !== undefined && object.LastModified < cutoff,
        );
        if (old.length > 0) {
          await client
            .send(
              new DeleteObjectsCommand({
                Bucket: bucket,
                Delete: { Objects: old.map((object) => ({ Key: object.Key as string })), Quiet: true },
              }),
            )
            .catch(fail('deleting expired drafts'));
          removed += old.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      // Downloads a crash left behind.
      for (const name of await readdir(tmpDir).catch(() => [])) {
        const info = await stat(join(tmpDir, name)).catch(() => undefined);
        if (info && info.mtime < cutoff) await rm(join(tmpDir, name), { force: true });
      }
      return removed;
    },

    async ping(): Promise<void> {
      await client.send(new HeadBucketCommand({ Bucket: bucket })).catch(fail('checking the bucket'));
    },

    ensureDraftExpiry: () => ensureDraftLifecycle(client, { bucket, draftsPrefix: keyOf('drafts/'), store }),

    async close(): Promise<void> {
      client.destroy();
    },
  };
}

function getObject(client: S3Client, bucket: string, key: string) {
  return client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
}

function sizeMismatch(actual: number, declared: number): DeploySmithError {
  return new DeploySmithError(
    'checksum_mismatch',
    `The stored bundle has ${actual} bytes; the draft declared ${declared}.`,
    { hint: 'Upload the bundle again (forge publish).' },
  );
}
