/**
 * Version storage on the local disk. smithd serves the upload URLs itself (PUT /uploads/<key>,
 * signed); a PUT is written to a temporary file while its length and sha256 are checked, and only
 * renamed into place when both match, so a draft is never half a bundle.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import {
  access,
  chmod,
  copyFile,
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeploySmithError, type UploadTarget } from '@deploysmith/core';
import { checkGrant, signGrant } from './signing.ts';
import {
  type BundleDeclaration,
  draftKey,
  type LocalBundle,
  publishedKey,
  UPLOAD_URL_TTL_SECONDS,
  type UploadReceiver,
  type UploadRequest,
  type VersionRef,
  type VersionStorage,
} from './types.ts';

const SIGNING_KEY_FILE = '.upload-signing-key';
const KEY_PATTERN = /^drafts\/[a-z0-9-]+\/[A-Za-z0-9][A-Za-z0-9._-]*\/bundle\.tar\.gz$/;

export interface DiskStorageOptions {
  root: string;
  /** Base URL clients reach smithd at; upload URLs are built on it. */
  publicUrl: string;
  now?: () => number;
}

export async function openDiskStorage(options: DiskStorageOptions): Promise<VersionStorage> {
  const { root } = options;
  const now = options.now ?? Date.now;
  try {
    await mkdir(join(root, 'tmp'), { recursive: true });
  } catch (error) {
    throw unavailable(root, error);
  }
  let secret: Buffer;
  try {
    secret = await loadSigningSecret(join(root, SIGNING_KEY_FILE));
  } catch (error) {
    throw unavailable(root, error);
  }
  const pathOf = (key: string) => join(root, ...key.split('/'));

  const local = (path: string): LocalBundle => ({ path, release: async () => {} });
  // Every other failure of the file system (gone, not a directory, full, read-only) is the
  // storage's, named as such: never an anonymous 500, never "no bundle was uploaded".
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DeploySmithError) throw error;
      throw unavailable(root, error);
    }
  };

  const uploads: UploadReceiver = {
    async receive(request: UploadRequest): Promise<void> {
      const { key, query } = request;
      const size = Number(query.size);
      const expires = Number(query.expires);
      const sha256 = query.sha256 ?? '';
      const verdict =
        KEY_PATTERN.test(key) && Number.isSafeInteger(size) && Number.isSafeInteger(expires)
          ? checkGrant(
              secret,
              { key, sha256, size, expires },
              query.signature ?? '',
              Math.floor(now() / 1000),
            )
          : 'invalid';
      if (verdict !== 'valid') {
        request.body.resume();
        throw new DeploySmithError(
          'upload_denied',
          verdict === 'expired'
            ? 'The upload URL has expired.'
            : 'The upload URL is not valid for this upload.',
          { hint: 'Draft the version again to get a fresh upload URL (forge publish does this by itself).' },
        );
      }
      if (request.contentLength !== String(size)) {
        request.body.resume();
        throw new DeploySmithError(
          'checksum_mismatch',
          `The upload is ${request.contentLength ?? 'of unknown length'} bytes; the draft declared ${size}.`,
          { hint: 'Upload exactly the bundle file the draft was made for, with its Content-Length.' },
        );
      }
      await guard(() => receiveFile(request.body, size, sha256, pathOf(key)));
    },
  };

  /** Streams the body to a temporary file, checking length and sha256, then moves it to `target`. */
  async function receiveFile(
    body: UploadRequest['body'],
    size: number,
    sha256: string,
    target: string,
  ): Promise<void> {
    const temporary = join(root, 'tmp', randomUUID());
    const hash = createHash('sha256');
    let received = 0;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > size) {
          callback(
            new DeploySmithError(
              'checksum_mismatch',
              `The upload is larger than the declared ${size} bytes.`,
            ),
          );
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, check, createWriteStream(temporary, { mode: 0o600 }));
      const actual = hash.digest('hex');
      if (received !== size) {
        throw new DeploySmithError(
          'checksum_mismatch',
          `The upload has ${received} bytes; the draft declared ${size}.`,
        );
      }
      if (actual !== sha256) {
        throw new DeploySmithError(
          'checksum_mismatch',
          `The upload's sha256 is ${actual}; the draft declared ${sha256}.`,
          {
            hint: 'Upload exactly the bundle file the draft was made for.',
          },
        );
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  return {
    where: root,
    uploads,

    async draftUploadTarget(ref: VersionRef, bundle: BundleDeclaration): Promise<UploadTarget> {
      // A storage that cannot take the upload fails the draft before anything is recorded.
      await guard(() => access(join(root, 'tmp'), constants.W_OK));
      const key = draftKey(ref);
      const expires = Math.floor(now() / 1000) + UPLOAD_URL_TTL_SECONDS;
      const signature = signGrant(secret, { key, sha256: bundle.sha256, size: bundle.size, expires });
      const query = new URLSearchParams({
        sha256: bundle.sha256,
        size: String(bundle.size),
        expires: String(expires),
        signature,
      });
      return {
        method: 'PUT',
        url: `${options.publicUrl}/uploads/${key}?${query}`,
        headers: { 'content-type': 'application/gzip', 'content-length': String(bundle.size) },
        expiresAt: new Date(expires * 1000).toISOString(),
      };
    },

    async openDraft(ref: VersionRef, bundle: BundleDeclaration): Promise<LocalBundle> {
      const path = pathOf(draftKey(ref));
      await guard(() => verifyFile(path, bundle, ref));
      return local(path);
    },

    promote: (ref: VersionRef, bundle: BundleDeclaration) =>
      guard(async () => {
        const source = pathOf(draftKey(ref));
        const target = pathOf(publishedKey(ref));
        // Copied again even when an earlier attempt (whose database write failed) left a copy: that
        // copy may be of a draft replaced since. The draft itself stays until publishing deletes it.
        await verifyFile(source, bundle, ref);
        await mkdir(dirname(target), { recursive: true });
        const temporary = `${target}.${randomUUID()}.tmp`;
        try {
          await copyFile(source, temporary);
          await chmod(temporary, 0o444);
          await rename(temporary, target);
        } catch (error) {
          await rm(temporary, { force: true }).catch(() => undefined);
          throw error;
        }
      }),

    async openPublished(ref: VersionRef): Promise<LocalBundle> {
      const path = pathOf(publishedKey(ref));
      if (!(await guard(() => exists(path)))) {
        throw new DeploySmithError(
          'storage_unavailable',
          `The bundle of ${ref.app} ${ref.version} is missing from storage.`,
          {
            hint: `Restore ${publishedKey(ref)} in the storage (${root}) from a backup.`,
          },
        );
      }
      return local(path);
    },

    deleteDraft: (ref: VersionRef) => guard(() => rm(pathOf(draftKey(ref)), { force: true })),

    discard: (ref: VersionRef) =>
      guard(async () => {
        for (const key of [draftKey(ref), publishedKey(ref)]) await rm(pathOf(key), { force: true });
      }),

    async purgeDraftsOlderThan(cutoff: Date): Promise<number> {
      let removed = 0;
      for (const folder of ['drafts', 'tmp']) {
        for (const file of await filesUnder(join(root, folder))) {
          const info = await stat(file).catch(() => undefined);
          if (info && info.mtime < cutoff) {
            await rm(file, { force: true });
            removed++;
          }
        }
      }
      return removed;
    },

    async ping(): Promise<void> {
      try {
        await access(join(root, 'tmp'));
      } catch (error) {
        throw unavailable(root, error);
      }
    },
  };
}

async function verifyFile(path: string, bundle: BundleDeclaration, ref: VersionRef): Promise<void> {
  // Only a missing file means nothing was uploaded; any other failure is the storage's.
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (info === undefined) {
    throw new DeploySmithError('invalid_bundle', `No bundle was uploaded for ${ref.app} ${ref.version}.`, {
      hint: 'PUT the bundle to the upload URL the draft returned, then publish (forge publish does both).',
    });
  }
  if (info.size !== bundle.size) {
    throw new DeploySmithError(
      'checksum_mismatch',
      `The stored bundle has ${info.size} bytes; the draft declared ${bundle.size}.`,
      {
        hint: 'Upload the bundle again (forge publish).',
      },
    );
  }
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  const actual = hash.digest('hex');
  if (actual !== bundle.sha256) {
    throw new DeploySmithError(
      'checksum_mismatch',
      `The stored bundle's sha256 is ${actual}; the draft declared ${bundle.sha256}.`,
      {
        hint: 'Upload the bundle again (forge publish).',
      },
    );
  }
}

/**
 * The key upload URLs are signed with: 32 random bytes, made on the first start. It is written to a
 * temporary file and linked into place whole, so a crash or a full disk never leaves a short or empty
 * key behind (an empty HMAC key would make every signature forgeable); one found short is replaced.
 */
async function loadSigningSecret(path: string): Promise<Buffer> {
  const found = await readSecret(path);
  if (found instanceof Buffer) return found;
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, randomBytes(32).toString('hex'), { mode: 0o600 });
    if (found === 'missing') {
      // Another process starting at the same moment may link its own first: then both use that one.
      await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    } else await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  const stored = await readSecret(path);
  if (!(stored instanceof Buffer)) throw new Error(`the upload signing key ${path} could not be written`);
  return stored;
}

async function readSecret(path: string): Promise<Buffer | 'missing' | 'invalid'> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  return /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, 'hex') : 'invalid';
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

function unavailable(root: string, error: unknown): DeploySmithError {
  return new DeploySmithError(
    'storage_unavailable',
    `The version storage at ${root} is not usable: ${(error as Error).message}`,
    {
      hint: 'Check that the storage directory exists and is writable by smithd.',
      cause: error,
    },
  );
}
