/**
 * Writes a version bundle: one gzip'd tar with `version.yml` first and the manifests under
 * `manifests/`, streamed from disk to disk while hashing, so memory stays flat for any bundle size.
 *
 * We write the tar with tar-stream rather than node-tar: tar-stream takes every header field from us
 * (name, mode, mtime, uid/gid, owner names) and touches no file system, which is what a
 * byte-for-byte reproducible archive needs; node-tar's strengths (extracting to disk, reading file
 * metadata for us) are exactly what we must not rely on. The reader uses it too, for the same reason.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { MANIFESTS_DIR, VERSION_FILE, type VersionFile } from '@deploysmith/core';
import { type Header, pack } from 'tar-stream';
import { collectManifests } from './collect-manifests.ts';
import { versionFileBytes } from './version-yaml.ts';

export interface PackOptions {
  versionFile: VersionFile;
  manifestsDir: string;
  /** Where to write the bundle; written to a temporary file first, then renamed. */
  output: string;
}

export interface PackedBundle {
  path: string;
  /** Hex sha256 of the bundle's bytes. */
  sha256: string;
  size: number;
  /** The manifests packed, relative to the manifests folder, in bundle order. */
  files: string[];
}

// Everything a tar header could take from the machine is fixed, so the same input packs to the
// same bytes anywhere.
const FIXED = { mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', mtime: new Date(0) } as const;

export async function packBundle(options: PackOptions): Promise<PackedBundle> {
  const versionBytes = versionFileBytes(options.versionFile);
  const manifests = await collectManifests(options.manifestsDir);

  const tar = pack();
  const writeEntries = async () => {
    await addEntry(
      tar,
      { ...FIXED, name: VERSION_FILE, size: versionBytes.length, type: 'file' },
      versionBytes,
    );
    for (const manifest of manifests) {
      const header: Partial<Header> & { name: string } = {
        ...FIXED,
        name: `${MANIFESTS_DIR}/${manifest.path}`,
        size: manifest.size,
        type: 'file',
      };
      await pipeline(createReadStream(manifest.source), tar.entry(header));
    }
    tar.finalize();
  };

  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await mkdir(dirname(options.output), { recursive: true });
  const temporary = `${options.output}.${process.pid}.${Date.now()}.partial`;
  try {
    await Promise.all([
      writeEntries().catch((error: unknown) => {
        tar.destroy(error as Error);
        throw error;
      }),
      pipeline(
        tar,
        // Node's gzip header has no name and a zero mtime; the OS byte is patched to "unknown".
        createGzip({ level: constants.Z_DEFAULT_COMPRESSION }),
        portableGzipHeader(),
        measure,
        createWriteStream(temporary),
      ),
    ]);
    await rename(temporary, options.output);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return {
    path: options.output,
    sha256: hash.digest('hex'),
    size,
    files: manifests.map((manifest) => manifest.path),
  };
}

function addEntry(
  tar: ReturnType<typeof pack>,
  header: Partial<Header> & { name: string },
  content: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    tar.entry(header, content, (error) => (error ? reject(error) : resolve()));
  });
}

/** Sets the gzip header's OS byte (offset 9) to 255, "unknown", as zlib writes 3 on Unix and 10 on Windows. */
function portableGzipHeader(): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (offset <= 9 && offset + chunk.length > 9) chunk[9 - offset] = 0xff;
      offset += chunk.length;
      callback(null, chunk);
    },
  });
}
