/**
 * `kubectl kustomize` (or `kustomize build`) run on the tree about to be committed: what Flux will
 * do with it. Building a whole environment of a thousand apps takes seconds, so folders are
 * verified once per content (git tree id) and an environment is built whole only when too much of
 * it is unverified or its kustomization does more than list resources.
 */
import { accessSync, constants } from 'node:fs';
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

/** Builds the fewest folders that prove the environment builds; remembers what was proven. */
export class KustomizeVerifier {
  readonly tool: KustomizeTool;
  readonly #verified = new Set<string>();
  readonly #limit: number;

  constructor(tool: KustomizeTool, limit = 50_000) {
    this.tool = tool;
    this.#limit = limit;
  }

  async verify(root: string, build: EnvironmentBuild): Promise<void> {
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
      await kustomizeBuild(this.tool, root, folder.dir);
      this.#remember(folder.oid);
    }
  }

  #remember(oid: string): void {
    if (this.#verified.size >= this.#limit) this.#verified.clear();
    this.#verified.add(oid);
  }
}
