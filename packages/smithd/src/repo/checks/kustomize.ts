/**
 * `kubectl kustomize` (or `kustomize build`) run on the tree about to be committed: what Flux will
 * do with it. Building a whole environment of a thousand apps takes seconds, so folders are
 * verified once per content (git tree id) and an environment is built whole only when too much of
 * it is unverified or its kustomization does more than list resources.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { treeDoesNotBuild } from '../errors.ts';

export interface KustomizeTool {
  command: string;
  args: (dir: string) => string[];
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** kubectl's built-in kustomize (what the DESIGN names), else a standalone kustomize. */
export function findKustomize(): KustomizeTool | undefined {
  const kubectl = onPath('kubectl');
  if (kubectl !== undefined) return { command: kubectl, args: (dir) => ['kustomize', dir] };
  const kustomize = onPath('kustomize');
  if (kustomize !== undefined) return { command: kustomize, args: (dir) => ['build', dir] };
  return undefined;
}

const BUILD_TIMEOUT_MS = 120_000;
const OID = /^[0-9a-f]{40,64}$/;

/** Builds `dir` (relative to `root`); refuses with kustomize's own message when it fails. */
export async function kustomizeBuild(tool: KustomizeTool, root: string, dir: string): Promise<void> {
  const result = await execa(tool.command, tool.args(dir), {
    cwd: root,
    reject: false,
    stdout: 'ignore',
    timeout: BUILD_TIMEOUT_MS,
    env: { LC_ALL: 'C' },
  });
  if (result.exitCode === 0) return;
  const message = (result.timedOut ? `timed out after ${BUILD_TIMEOUT_MS / 1000} s` : String(result.stderr))
    .trim()
    .replaceAll(`${root}/`, '')
    .split('\n')
    .slice(0, 20)
    .join('\n');
  const name = tool.args(dir)[0] === 'kustomize' ? 'kubectl kustomize' : 'kustomize build';
  throw treeDoesNotBuild(`${name} ${dir} failed: ${message || `exit ${result.exitCode}`}`, [
    { file: dir, message },
  ]);
}

export interface EnvironmentBuild {
  /** `environments/<env>/apps`. */
  appsDir: string;
  /** The folder being deployed and the tree id it will have. */
  app: { dir: string; oid: string };
  /** The other folders the environment lists, with their tree ids. */
  others: { dir: string; oid: string }[];
  /** False when the environment's kustomization does more than list resources (patches, labels…). */
  listsOnly: boolean;
}

/**
 * Builds the fewest folders that prove the environment builds, and remembers what was proven (by
 * folder content) in a file next to the clone's git data, so a restart does not build everything
 * again. The file is bound to the kustomize binary: another binary starts from nothing.
 */
export class KustomizeVerifier {
  readonly tool: KustomizeTool;
  readonly #verified = new Set<string>();
  /** Builds started ahead of a deploy (`verifyAhead`), by tree id: true when the folder built. */
  readonly #ahead = new Map<string, Promise<boolean>>();
  readonly #limit: number;
  readonly #store: string | undefined;
  #unsaved: string[] = [];
  #rewrite = false;

  constructor(tool: KustomizeTool, store?: string, limit = 50_000) {
    this.tool = tool;
    this.#store = store;
    this.#limit = limit;
  }

  #identity(): string {
    try {
      const stats = statSync(this.tool.command);
      return `# ${this.tool.command} ${stats.size} ${Math.round(stats.mtimeMs)}`;
    } catch {
      return `# ${this.tool.command}`;
    }
  }

  /** Reads what an earlier run proved with the same kustomize. */
  async load(): Promise<void> {
    if (this.#store === undefined) return;
    let text: string;
    try {
      text = await readFile(this.#store, 'utf8');
    } catch {
      this.#rewrite = true;
      return;
    }
    const [identity, ...oids] = text.split('\n');
    if (identity !== this.#identity()) {
      this.#rewrite = true;
      return;
    }
    for (const oid of oids) if (OID.test(oid)) this.#verified.add(oid);
  }

  async verify(root: string, build: EnvironmentBuild): Promise<void> {
    try {
      const unverified = build.others.filter((other) => !this.#verified.has(other.oid));
      // With a kustomization that only lists folders, the environment builds exactly when each folder
      // builds and no two share an object (checked in-process before this runs).
      if (!build.listsOnly || unverified.length > 3) {
        await kustomizeBuild(this.tool, root, build.appsDir);
        for (const other of build.others) this.#remember(other.oid);
        this.#remember(build.app.oid);
        return;
      }
      for (const folder of [build.app, ...unverified]) {
        if (this.#verified.has(folder.oid)) continue;
        // A build of this very content started ahead: its success proves the folder; a failure
        // is built again here, so the refusal names the folder in the repo.
        if (await this.#ahead.get(folder.oid)) continue;
        await kustomizeBuild(this.tool, root, folder.dir);
        this.#remember(folder.oid);
      }
    } finally {
      await this.#save();
    }
  }

  /**
   * Verifies a folder's content before a deploy needs it: `build` (kustomize on a copy of the
   * folder, outside the working clone) runs at most once per tree id at a time, and a deploy of
   * that content waits for it instead of building again. A failed build proves nothing and is
   * not remembered.
   */
  async verifyAhead(oid: string, build: () => Promise<void>): Promise<void> {
    if (!OID.test(oid) || this.#verified.has(oid) || this.#ahead.has(oid)) return;
    const running = build().then(
      () => {
        this.#remember(oid);
        return true;
      },
      () => false,
    );
    this.#ahead.set(oid, running);
    try {
      await running;
    } finally {
      this.#ahead.delete(oid);
      await this.#save();
    }
  }

  #remember(oid: string): void {
    // Only content-addressed folders can be remembered; a folder without a tree id may change.
    if (!OID.test(oid) || this.#verified.has(oid)) return;
    if (this.#verified.size >= this.#limit) {
      this.#verified.clear();
      this.#rewrite = true;
    }
    this.#verified.add(oid);
    this.#unsaved.push(oid);
  }

  async #save(): Promise<void> {
    if (this.#store === undefined || (!this.#rewrite && this.#unsaved.length === 0)) return;
    // Taken before the write: a deploy and a build ahead may save at the same time.
    const rewrite = this.#rewrite;
    const batch = this.#unsaved;
    this.#rewrite = false;
    this.#unsaved = [];
    try {
      if (rewrite) {
        await writeFile(this.#store, `${[this.#identity(), ...this.#verified].join('\n')}\n`);
      } else {
        await appendFile(this.#store, `${batch.join('\n')}\n`);
      }
    } catch {
      // Only a cache: tried again at the next save.
      this.#rewrite ||= rewrite;
      this.#unsaved.unshift(...batch);
    }
  }
}
