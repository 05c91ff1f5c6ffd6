/**
 * The thread manifests are validated on (see `manifest-checker.ts`): each message is one bundle's
 * files; the answer is nothing, or the refusal as the API would send it.
 */
import { parentPort } from 'node:worker_threads';
import { DeploySmithError } from '@deploysmith/core';
import { assertValidManifests, type ManifestFile } from '@deploysmith/manifests';

export interface CheckRequest {
  id: number;
  files: ManifestFile[];
}

export interface CheckAnswer {
  id: number;
  refusal?: ReturnType<DeploySmithError['toJSON']>['error'];
  /** Anything else that went wrong (a bug): its message. */
  failure?: string;
}

parentPort?.on('message', async ({ id, files }: CheckRequest) => {
  let answer: CheckAnswer = { id };
  try {
    // Structured cloning hands over Uint8Arrays; the validator reads Buffers.
    await assertValidManifests(files.map((file) => ({ ...file, content: Buffer.from(file.content) })));
  } catch (error) {
    answer =
      error instanceof DeploySmithError
        ? { id, refusal: error.toJSON().error }
        : { id, failure: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
