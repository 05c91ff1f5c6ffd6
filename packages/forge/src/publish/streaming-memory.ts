/**
 * Keeps memory flat while a bundle streams through the process (packing, uploading). Each chunk
 * read from disk is a fresh buffer that is garbage as soon as it is written, but V8 frees such
 * buffers only when it collects the young generation, which a stream of large buffers and few small
 * objects rarely triggers: a 200 MB upload then holds 50–70 MB of dead buffers at its peak. A
 * young-generation collection every 100 ms (about a millisecond each) frees them as they die.
 * Node exposes `gc` only behind a flag, which a launcher cannot always pass, so it is enabled here.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'minor' | 'major' }) => void;

let collect: Collect | null | undefined;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

export async function whileStreaming<T>(work: () => Promise<T>): Promise<T> {
  // The collector (a new V8 context, some 20 ms of CPU) is made at the first tick, so a small
  // bundle that streams through in less than 100 ms never pays for it.
  const timer = setInterval(() => {
    const gc = collector();
    if (gc === null) clearInterval(timer);
    else gc({ type: 'minor' });
  }, 100);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
