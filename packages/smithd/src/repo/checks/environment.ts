/**
 * The in-process checks of an environment about to be committed: every listed resource exists,
 * every file is YAML of Kubernetes objects, and no object of the deployed app is declared twice,
 * within the version or by another app. Other apps' objects are cached by git tree id, so a check
 * costs the same in an environment of one app or of a thousand once their folders have been read.
 */
import { assertNoCollisions } from './collisions.ts';
import { collectKustomization, type ObjectRef, type ParsedKustomization } from './objects.ts';

export interface EnvironmentCheck {
  root: string;
  environment: string;
  app: string;
  /** `environments/<env>/apps`. */
  appsDir: string;
  /** The environment's kustomization as just written. */
  kustomization: ParsedKustomization;
  /** The app's folder and the tree id it will have. */
  appDir: string;
  appOid: string;
  /** Tree ids of the folders directly under `appsDir` in the commit being built on. */
  folderOids: ReadonlyMap<string, string>;
}

export interface CheckedEnvironment {
  /** Folders the environment lists besides the app, with their tree ids (for kustomize). */
  others: { dir: string; oid: string }[];
}

export class EnvironmentChecker {
  /** Objects per folder content (tree id), with file names relative to the folder. */
  readonly #cache = new Map<string, ObjectRef[]>();
  /** The same, placed in a folder (repo-relative file names), by folder and tree id. */
  readonly #placed = new Map<string, ObjectRef[]>();
  readonly #limit: number;

  constructor(limit = 20_000) {
    this.#limit = limit;
  }

  async check(input: EnvironmentCheck): Promise<CheckedEnvironment> {
    const { root, appsDir, appDir } = input;
    const oidOf = (dir: string) => (dir === appDir ? input.appOid : input.folderOids.get(dir));
    const listed = new Set<string>();
    const objects = await collectKustomization(
      root,
      appsDir,
      {
        knownFolder: (dir) => oidOf(dir) !== undefined,
        folderObjects: async (dir) => {
          listed.add(dir);
          return this.#folderObjects(root, dir, oidOf(dir), dir === appDir);
        },
      },
      input.kustomization,
    );
    const ours = objects.filter((object) => object.file.startsWith(`${appDir}/`));
    const theirs = objects.filter((object) => !object.file.startsWith(`${appDir}/`));
    assertNoCollisions(ours, theirs, input.app, input.environment);
    listed.delete(appDir);
    return { others: [...listed].map((dir) => ({ dir, oid: oidOf(dir) ?? `unknown:${dir}` })) };
  }

  /**
   * The objects of one folder the environment lists. The deployed app's folder must be
   * self-contained; other folders are taken as they are (people may have written them), and cached
   * when everything they build comes from inside them.
   */
  async #folderObjects(
    root: string,
    dir: string,
    oid: string | undefined,
    deployed: boolean,
  ): Promise<ObjectRef[]> {
    const place = oid === undefined ? undefined : `${dir}\0${oid}`;
    const placed = place === undefined ? undefined : this.#placed.get(place);
    if (placed !== undefined) return placed;
    const cached = oid === undefined ? undefined : this.#cache.get(oid);
    if (cached !== undefined && place !== undefined) {
      return this.#remember(
        this.#placed,
        place,
        cached.map((object) => ({ ...object, file: `${dir}/${object.file}` })),
      );
    }
    const objects = await collectKustomization(root, dir, { boundary: deployed ? dir : undefined });
    if (
      oid !== undefined &&
      place !== undefined &&
      objects.every((object) => object.file.startsWith(`${dir}/`))
    ) {
      this.#remember(
        this.#cache,
        oid,
        objects.map((object) => ({ ...object, file: object.file.slice(dir.length + 1) })),
      );
      this.#remember(this.#placed, place, objects);
    }
    return objects;
  }

  #remember(cache: Map<string, ObjectRef[]>, key: string, objects: ObjectRef[]): ObjectRef[] {
    if (cache.size >= this.#limit) cache.clear();
    cache.set(key, objects);
    return objects;
  }
}
