/**
 * Upload of a bundle to a signed URL (smithd's disk storage or an S3 pre-signed PUT). The file is
 * streamed from disk, so memory does not grow with its size, and retried on transient failures.
 */
import { createReadStream } from 'node:fs';
import { DeploySmithError, type UploadTarget } from '@deploysmith/core';
import { type Dispatcher, request } from 'undici';
import { errorFromResponse, isTransientNetworkError, sleep } from './http.ts';

export interface UploadOptions {
  attempts?: number;
  /** Called before each retry, e.g. to print a progress line. */
  onRetry?: (attempt: number, reason: string) => void;
}

export async function uploadBundle(
  dispatcher: Dispatcher,
  target: UploadTarget,
  file: string,
  options: UploadOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 4;
  const url = new URL(target.url);
  for (let attempt = 1; ; attempt++) {
    let retryReason: string;
    try {
      const response = await request(url, {
        method: target.method,
        headers: target.headers,
        body: createReadStream(file),
        dispatcher,
      });
      const text = await response.body.text();
      if (response.statusCode < 300) return;
      if (response.statusCode !== 429 && response.statusCode < 500)
        throw uploadRejected(response.statusCode, text, url);
      retryReason = `HTTP ${response.statusCode}`;
      if (attempt >= attempts) throw errorFromResponse(response.statusCode, text, url);
    } catch (error) {
      if (error instanceof DeploySmithError) throw error;
      if (!isTransientNetworkError(error) || attempt >= attempts) {
        throw new DeploySmithError(
          'server_unreachable',
          `Upload to ${url.origin} failed: ${(error as Error).message}`,
          {
            hint: 'Check the network between CI and the storage, then run the same command again.',
            cause: error,
          },
        );
      }
      retryReason = (error as Error).message;
    }
    options.onRetry?.(attempt, retryReason);
    await sleep(500 * 2 ** (attempt - 1));
  }
}

function uploadRejected(status: number, text: string, url: URL): DeploySmithError {
  if (status === 403) {
    return new DeploySmithError(
      'upload_denied',
      'The upload URL was refused: it has expired or does not match the bundle.',
      {
        hint: 'Run the same forge publish again: it drafts the version anew and gets a fresh URL.',
        fromServer: true,
      },
    );
  }
  return errorFromResponse(status, text, url);
}
