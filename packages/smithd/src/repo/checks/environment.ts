/**
 * The in-process checks of an environment about to be committed: every listed resource exists,
 * every file is YAML of Kubernetes objects, and no object of the deployed app is declared twice,
 * within the version or by another app. Other apps' objects are cached by git tree id, so a check
 * costs the same in an environment of one app or of a thousand once their folders have been read.
 */
import { assertNoCollisions } from './collisions.ts';
import {
  applyTransformers,
  collectKustomization,
  type ObjectRef,
  type ParsedKustomization,
} from './objects.ts';

/** An entry naming a folder right under `apps/`, the way smithd lists an app. */
const APP_FOLDER = /^[a-z0-9][-a-z0-9]*$/;

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
    const known = this.#knownOthers(input);
    if (known !== undefined) {
      // Only the app's own folder is left to read.
      const ours = await this.#collect(input, {
        ...input.kustomization,
        resources: input.kustomization.resources.filter(
          (entry) => `${input.appsDir}/${entry}` === input.appDir,
        ),
      });
      assertNoCollisions(
        ours,
        applyTransformers(known.objects, input.kustomization.settings),
        input.app,
        input.environment,
      );
      return { others: known.others };
    }
    const listed = new Set<string>();
    const objects = await this.#collect(input, input.kustomization, listed);
    const { appDir } = input;
    const ours = objects.filter((object) => object.file.startsWith(`${appDir}/`));
    const theirs = objects.filter((object) => !object.file.startsWith(`${appDir}/`));
    assertNoCollisions(ours, theirs, input.app, input.environment);
    listed.delete(appDir);
    return { others: [...listed].map((dir) => ({ dir, oid: this.#oidOf(input, dir) ?? `unknown:${dir}` })) };
  }

  /**
   * The objects `kustomization` (the environment's, or a part of it) builds; the folders read are
   * added to `listed`.
   */
  #collect(
    input: EnvironmentCheck,
    kustomization: ParsedKustomization,
    listed?: Set<string>,
  ): Promise<ObjectRef[]> {
    const { root, appsDir, appDir } = input;
    return collectKustomization(
      root,
      appsDir,
      {
        knownFolder: (dir) => this.#oidOf(input, dir) !== undefined,
        folderObjects: async (dir) => {
          listed?.add(dir);
          return this.#folderObjects(root, dir, this.#oidOf(input, dir), dir === appDir);
        },
      },
      kustomization,
    );
  }

  #oidOf(input: EnvironmentCheck, dir: string): string | undefined {
    return dir === input.appDir ? input.appOid : input.folderOids.get(dir);
  }

  /**
   * When the environment lists nothing but app folders and every other app's objects are cached
   * (the usual redeploy), those objects, taken without reading a file or awaiting a promise per
   * folder: in an environment of a thousand apps that is most of a check.
   */
  #knownOthers(
    input: EnvironmentCheck,
  ): { objects: ObjectRef[]; others: { dir: string; oid: string }[] } | undefined {
    const bases = input.kustomization.settings.bases;
    if (Array.isArray(bases) && bases.length > 0) return undefined;
    const objects: ObjectRef[] = [];
    const others = new Map<string, string>();
    for (const entry of input.kustomization.resources) {
      if (!APP_FOLDER.test(entry)) return undefined;
      const dir = `${input.appsDir}/${entry}`;
      if (dir === input.appDir) continue;
      const oid = input.folderOids.get(dir);
      const cached = oid === undefined ? undefined : this.#placed.get(`${dir}\0${oid}`);
      if (oid === undefined || cached === undefined) return undefined;
      for (const object of cached) objects.push(object);
      others.set(dir, oid);
    }
    return { objects, others: [...others].map(([dir, oid]) => ({ dir, oid })) };
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
