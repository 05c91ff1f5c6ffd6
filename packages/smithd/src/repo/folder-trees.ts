/**
 * The git tree id of every app folder of an environment, as of a commit: what the checks key their
 * caches on. Read once with `git ls-tree` and then kept up to date by our own commits, which change
 * one folder of one environment and nothing else.
 */
import { appsDir } from './flux-layout.ts';
import type { WorkingClone } from './working-clone.ts';

export class FolderTrees {
  readonly #byEnvironment = new Map<string, { commit: string; oids: Map<string, string> }>();

  /** Folder path → tree id for the folders directly under `environments/<env>/apps` at HEAD. */
  async of(clone: WorkingClone, environment: string): Promise<Map<string, string>> {
    const head = clone.head;
    if (head === undefined) return new Map();
    const cached = this.#byEnvironment.get(environment);
    if (cached !== undefined && cached.commit === head) return cached.oids;
    const out = await clone.git(['ls-tree', '-z', head, '--', `${appsDir(environment)}/`]);
    const oids = new Map<string, string>();
    for (const record of out.split('\0')) {
      const tab = record.indexOf('\t');
      const [, type, oid] = record.slice(0, tab).split(' ');
      if (type === 'tree' && oid !== undefined) oids.set(record.slice(tab + 1), oid);
    }
    this.#byEnvironment.set(environment, { commit: head, oids });
    return oids;
  }

  /** Our commit on top of `parent` set `folder` of `environment` to `oid`; every other listing still holds. */
  committed(environment: string, folder: string, oid: string, parent: string, commit: string): void {
    for (const [env, entry] of this.#byEnvironment) {
      if (entry.commit !== parent) continue;
      entry.commit = commit;
      if (env === environment) entry.oids.set(folder, oid);
    }
  }
}
