/** Serialises drafts and publishes of one version within this process, so they never interleave. */
export class VersionLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(app: string, version: string, work: () => Promise<T>): Promise<T> {
    const key = `${app}\u0000${version}`;
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
