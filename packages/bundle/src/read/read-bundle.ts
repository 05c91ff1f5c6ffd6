/**
 * Reads an uploaded bundle without trusting it and without touching the disk: the gzip and tar are
 * streamed, every header is judged before its content is read, and every byte is counted against
 * the limits as it arrives (a header's size is not trusted alone, and a gzip bomb is stopped by the
 * compression ratio long before it is unpacked).
 */
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DeploySmithError, MANIFESTS_DIR, VERSION_FILE, type VersionFile } from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';
import { extract } from 'tar-stream';
import { type BundleLimits, resolveBundleLimits } from '../limits.ts';
import { clashKey, quoteName } from '../paths.ts';
import { classifyEntry } from './entry-rules.ts';
import { parseVersionFile } from './parse-version-file.ts';

export interface ReadBundle {
  versionFile: VersionFile;
  /** The manifests, paths relative to `manifests/`, in bundle order. */
  files: ManifestFile[];
}

const HINT = `A bundle is a gzip'd tar holding ${VERSION_FILE} and regular .yaml/.yml files under ${MANIFESTS_DIR}/; \`forge publish\` packs one.`;
const RATIO_FLOOR = 1024 * 1024;

function invalid(message: string, cause?: unknown): DeploySmithError {
  return new DeploySmithError('invalid_bundle', message, { hint: HINT, cause });
}

/** Marks errors raised by the bundle's bytes, as opposed to failures reading the file itself. */
class MalformedBundle extends Error {}

export async function readBundle(path: string, limits?: Partial<BundleLimits>): Promise<ReadBundle> {
  const bounds = resolveBundleLimits(limits);
  let packed = 0;
  let unpacked = 0;
  // Headers, padding and long names take space beyond the files' bytes; this is their generous share.
  const maxStreamBytes = bounds.maxUnpackedBytes + (bounds.maxFiles + 2) * 4096 + 1024 * 1024;

  const source = createReadStream(path);
  const countPacked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      packed += chunk.length;
      if (packed > bounds.maxCompressedBytes) {
        callback(invalid(`The bundle is larger than the limit of ${bounds.maxCompressedBytes} bytes.`));
      } else callback(null, chunk);
    },
  });
  const gunzip = createGunzip();
  const countUnpacked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      unpacked += chunk.length;
      if (unpacked > maxStreamBytes) {
        callback(invalid(`The bundle unpacks to more than ${bounds.maxUnpackedBytes} bytes.`));
      } else if (unpacked > RATIO_FLOOR && unpacked > packed * bounds.maxCompressionRatio) {
        callback(
          invalid(
            `The bundle unpacks more than ${bounds.maxCompressionRatio} times its compressed size (a gzip bomb?): ${unpacked} bytes from ${packed}.`,
          ),
        );
      } else callback(null, chunk);
    },
  });
  const tar = extract();
  const flowing = pipeline(source, countPacked, gunzip, countUnpacked, tar).catch((error: unknown) => {
    if (error instanceof DeploySmithError) throw error;
    // Failing to open or read the file is the caller's problem; anything after that is the bundle's.
    if (packed === 0 && (error as NodeJS.ErrnoException).syscall !== undefined) throw error;
    throw new MalformedBundle((error as Error).message, { cause: error });
  });
  // The pipeline's rejection is observed below; keep it from being reported as unhandled meanwhile.
  flowing.catch(() => {});

  const files: ManifestFile[] = [];
  let versionFile: VersionFile | undefined;
  try {
    let entries = 0;
    let fileBytes = 0;
    const names = new Map<string, 'file' | 'folder'>();
    for await (const entry of tar) {
      const { header } = entry;
      const name = quoteName(header.name);
      entries++;
      if (entries > bounds.maxFiles) throw invalid(`The bundle has more than ${bounds.maxFiles} entries.`);
      const kind = classifyEntry(header);
      if ('problem' in kind) throw invalid(`Bundle entry ${name} ${kind.problem}.`);
      if (kind.kind === 'folder') {
        const key = clashKey(header.name.replace(/^\.\//, '').replace(/\/$/, ''));
        if (names.get(key) === 'file') throw invalid(`Bundle entry ${name} is both a file and a folder.`);
        names.set(key, 'folder');
        entry.resume();
        continue;
      }
      const entryPath = kind.kind === 'manifest' ? `${MANIFESTS_DIR}/${kind.path}` : VERSION_FILE;
      const key = clashKey(entryPath);
      if (names.has(key)) {
        throw invalid(
          `Bundle entry ${name} appears twice (names are compared ignoring case and Unicode form).`,
        );
      }
      const segments = key.split('/');
      for (let depth = 1; depth < segments.length; depth++) {
        const parent = segments.slice(0, depth).join('/');
        if (names.get(parent) === 'file')
          throw invalid(`Bundle entry ${name} is inside ${quoteName(parent)}, which is a file.`);
        names.set(parent, 'folder');
      }
      names.set(key, 'file');

      const maxBytes = kind.kind === 'version-file' ? bounds.maxVersionFileBytes : bounds.maxFileBytes;
      const tooBig = () =>
        invalid(`Bundle entry ${name} is larger than the limit of ${maxBytes} bytes per file.`);
      const tooMuch = () =>
        invalid(`The bundle's files are larger than the limit of ${bounds.maxUnpackedBytes} bytes together.`);
      const declared = header.size ?? 0;
      if (declared > maxBytes) throw tooBig();
      if (fileBytes + declared > bounds.maxUnpackedBytes) throw tooMuch();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of entry) {
        size += (chunk as Buffer).length;
        fileBytes += (chunk as Buffer).length;
        if (size > maxBytes) throw tooBig();
        if (fileBytes > bounds.maxUnpackedBytes) throw tooMuch();
        chunks.push(chunk as Buffer);
      }
      const content = new Uint8Array(Buffer.concat(chunks, size));
      if (kind.kind === 'version-file') versionFile = parseVersionFile(content);
      else files.push({ path: kind.path, content });
    }
    await flowing;
  } catch (error) {
    source.destroy();
    tar.destroy();
    // When the pipeline failed first, its error says why; the loop only saw the stream end.
    const piped = await flowing.then(
      () => undefined,
      (pipelineError: unknown) => pipelineError,
    );
    const cause = error instanceof DeploySmithError || piped === undefined ? error : piped;
    if (cause instanceof MalformedBundle)
      throw invalid(`The bundle is not a valid gzip'd tar: ${cause.message}.`, cause.cause);
    throw cause;
  }
  if (versionFile === undefined) throw invalid(`The bundle has no ${VERSION_FILE} at its root.`);
  return { versionFile, files };
}
