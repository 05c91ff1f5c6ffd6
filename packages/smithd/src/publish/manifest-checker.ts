/**
 * Manifest validation off the event loop: parsing and checking YAML costs about 2 s per MiB of
 * small keys, and on the main thread a large bundle would stall every other request of smithd for
 * that long. One worker thread, started on the first publish and kept; bundles queue in its order.
 */
import { Worker } from 'node:worker_threads';
import { DeploySmithError, type ErrorCode } from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';
import type { CheckAnswer, CheckRequest } from './validation-worker.ts';

// Beside this module: validation-worker.ts in the sources, validation-worker.js in the build.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './validation-worker.ts' : './validation-worker.js',
  import.meta.url,
);

interface Waiting {
  resolve(): void;
  reject(error: Error): void;
}

export class ManifestChecker {
  #worker: { thread: Worker; waiting: Map<number, Waiting> } | undefined;
  #nextId = 0;

  /** Resolves when every manifest is valid; rejects with the same refusal the validator gives. */
  check(files: ManifestFile[]): Promise<void> {
    const id = this.#nextId++;
    const worker = this.#started();
    return new Promise((resolve, reject) => {
      worker.waiting.set(id, { resolve, reject });
      worker.thread.postMessage({ id, files } satisfies CheckRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.thread.terminate();
  }

  #started(): { thread: Worker; waiting: Map<number, Waiting> } {
    if (this.#worker !== undefined) return this.#worker;
    const thread = new Worker(workerUrl);
    // An idle thread must not keep a stopping smithd alive.
    thread.unref();
    const waiting = new Map<number, Waiting>();
    thread.on('message', (answer: CheckAnswer) => {
      const job = waiting.get(answer.id);
      waiting.delete(answer.id);
      if (answer.refusal !== undefined) {
        const { code, message, hint, details } = answer.refusal;
        job?.reject(new DeploySmithError(code as ErrorCode, message, { hint, details }));
      } else if (answer.failure !== undefined) {
        job?.reject(new Error(`manifest validation failed: ${answer.failure}`));
      } else {
        job?.resolve();
      }
    });
    // A thread that died (out of memory on a hostile bundle) fails what it held; the next check starts another.
    const fail = (error: Error) => {
      if (this.#worker?.thread === thread) this.#worker = undefined;
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
    };
    thread.on('error', fail);
    thread.on('exit', (code) =>
      fail(new Error(`the manifest validation thread stopped (exit code ${code})`)),
    );
    this.#worker = { thread, waiting };
    return this.#worker;
  }
}
