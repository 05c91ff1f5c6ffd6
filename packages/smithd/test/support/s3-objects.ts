/** The objects of a test smithd's S3 prefix, read and moved through the S3 API. */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3UnderTest } from '@deploysmith/testkit/backends';

export interface StoredObject {
  /** Relative to the smithd's prefix. */
  key: string;
  etag: string;
  size: number;
  lastModified: Date;
}

function clientFor(storage: S3UnderTest): S3Client {
  return new S3Client({
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: storage.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: storage.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
}

async function withClient<T>(storage: S3UnderTest, work: (client: S3Client) => Promise<T>): Promise<T> {
  const client = clientFor(storage);
  try {
    return await work(client);
  } finally {
    client.destroy();
  }
}

const full = (storage: S3UnderTest, key: string) => `${storage.prefix}/${key}`;

export function listObjects(storage: S3UnderTest, under: string): Promise<StoredObject[]> {
  return withClient(storage, async (client) => {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: storage.bucket,
          Prefix: full(storage, under),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const object of page.Contents ?? []) {
        objects.push({
          key: (object.Key ?? '').slice(storage.prefix.length + 1),
          etag: object.ETag ?? '',
          size: object.Size ?? 0,
          lastModified: object.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  });
}

export function moveObject(storage: S3UnderTest, from: string, to: string): Promise<void> {
  return withClient(storage, async (client) => {
    await client.send(
      new CopyObjectCommand({
        Bucket: storage.bucket,
        Key: full(storage, to),
        CopySource: `${storage.bucket}/${full(storage, from)}`,
      }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: storage.bucket, Key: full(storage, from) }));
  });
}

export function putObject(storage: S3UnderTest, key: string, body: Uint8Array): Promise<void> {
  return withClient(storage, async (client) => {
    await client.send(new PutObjectCommand({ Bucket: storage.bucket, Key: full(storage, key), Body: body }));
  });
}

export function readObject(storage: S3UnderTest, key: string): Promise<Uint8Array | undefined> {
  return withClient(storage, async (client) => {
    try {
      const object = await client.send(
        new GetObjectCommand({ Bucket: storage.bucket, Key: full(storage, key) }),
      );
      return await object.Body?.transformToByteArray();
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  });
}
