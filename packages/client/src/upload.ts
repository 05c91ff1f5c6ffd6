/**
 * Upload of a bundle to a signed URL (smithd's disk storage or an S3 pre-signed PUT). The file is
 * streamed from disk, so memory does not grow with its size, and retried on transient failures.
 */
import { createReadStream } from 'node:fs';
import { DeploySmithError, type UploadTarget } from '@deploysmith/core';
import type { HttpPool, HttpResponse } from '@deploysmith/http';
import { errorFromResponse } from './http.ts';

export interface UploadOptions {
  attempts?: number;
  /** Called before each retry, e.g. to print a progress line. */
  onRetry?: (attempt: number, reason: string) => void;
}

export async function uploadBundle(
  pool: HttpPool,
  target: UploadTarget,
  file: string,
  options: UploadOptions = {},
): Promise<void> {
  const url = new URL(target.url);
  let response: HttpResponse;
  try {
    response = await pool.send(
      url,
      { method: target.method, headers: target.headers, body: () => createReadStream(file) },
      {
        // Storage that is busy (429, 5xx) or a dropped connection: the same bytes again, after a wait.
        retry: { retries: (options.attempts ?? 4) - 1, baseDelayMs: 500, statuses: true },
        ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
      },
    );
  } catch (error) {
    throw new DeploySmithError(
      'server_unreachable',
      `Upload to ${url.origin} failed: ${(error as Error).message}`,
      {
        hint: 'Check the network between CI and the storage, then run the same command again.',
        cause: error,
      },
    );
  }
  if (response.status < 300) return;
  if (response.status === 403) {
    throw new DeploySmithError(
      'upload_denied',
      'The upload URL was refused: it has expired or does not match the bundle.',
      {
        hint: 'Run the same forge publish again: it drafts the version anew and gets a fresh URL.',
        fromServer: true,
      },
    );
  }
  throw errorFromResponse(response.status, response.body.toString('utf8'), url);
}
