/**
 * Which commit on the remote branch carries each Deploy-Id, kept up to date as the branch moves:
 * read once from the whole history, then only from the commits that are new since. So "was this
 * deploy already pushed?" costs the same with five commits of history or five hundred thousand.
 */
import { git } from '@deploysmith/gitops';
import { TRAILER } from './deploy-commit.ts';

export class DeployIndex {
  readonly #byId = new Map<string, string>();
  #head: string | undefined;
  /** Deploys that were on the branch until someone rewrote it (a force-push), by id: their commit. */
  readonly #dropped = new Map<string, string>();

  get(deployId: string): string | undefined {
    return this.#byId.get(deployId);
  }

  /** Brings the index to `head` (undefined: the branch does not exist). */
  async update(dir: string, head: string | undefined): Promise<void> {
    if (head === this.#head) return;
    if (head === undefined) {
      this.#byId.clear();
      this.#head = undefined;
      return;
    }
    const previous = this.#head;
    const incremental = previous !== undefined && (await isAncestor(dir, previous, head));
    const before = incremental || previous === undefined ? undefined : new Map(this.#byId);
    if (!incremental) this.#byId.clear();
    const range = incremental ? [head, `^${previous}`] : [head];
    const out = await git(dir, [
      'log',
      `--format=%H%x00%(trailers:key=${TRAILER.deployId},valueonly,separator=%x01)%x1e`,
      `--grep=^${TRAILER.deployId}:`,
      ...range,
      '--',
    ]);
    // Oldest first, and the first commit that carried an id keeps it: that one did the deploy.
    const records = out.split('\x1e').reverse();
    for (const record of records) {
      const [commit, ids] = record.trim().split('\0');
      if (!commit || !ids) continue;
      for (const raw of ids.split('\x01')) {
        const id = raw.trim();
        if (id !== '' && !this.#byId.has(id)) this.#byId.set(id, commit);
      }
    }
    this.#head = head;
    for (const [id, commit] of before ?? []) if (!this.#byId.has(id)) this.#dropped.set(id, commit);
  }

  /** The deploys a rewrite of the branch removed since the last call, and still missing. */
  takeDropped(): Map<string, string> {
    const dropped = new Map([...this.#dropped].filter(([id]) => !this.#byId.has(id)));
    this.#dropped.clear();
    return dropped;
  }

  /** Records a commit we pushed on top of the indexed head, without asking git. */
  recordPushed(deployId: string, commit: string, parent: string | undefined): void {
    if (!this.#byId.has(deployId)) this.#byId.set(deployId, commit);
    if (this.#head === parent) this.#head = commit;
  }
}

async function isAncestor(dir: string, ancestor: string, head: string): Promise<boolean> {
  try {
    await git(dir, ['merge-base', '--is-ancestor', ancestor, head]);
    return true;
  } catch {
    return false;
  }
}
