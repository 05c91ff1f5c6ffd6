/**
 * Version-list pages as the bytes sent (encoded once), keyed by the app's revision: any change to what the list shows
 * bumps the revision in the database (in the same transaction), so a cached page is never stale,
 * even when the change came from another process or replica. Bounded, least recently used first out.
 */
export class PageCache {
  readonly #pages = new Map<string, Buffer>();
  readonly #capacity: number;

  constructor(capacity = 512) {
    this.#capacity = capacity;
  }

  static key(app: string, revision: number, query: Record<string, string | number | undefined>): string {
    return JSON.stringify([app, revision, query]);
  }

  get(key: string): Buffer | undefined {
    const page = this.#pages.get(key);
    if (page !== undefined) {
      this.#pages.delete(key);
      this.#pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: Buffer): void {
    this.#pages.delete(key);
    if (this.#pages.size >= this.#capacity) this.#pages.delete(this.#pages.keys().next().value as string);
    this.#pages.set(key, page);
  }
}
