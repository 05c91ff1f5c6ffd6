/**
 * The Kubernetes objects a kustomization folder produces, found in-process the way kustomize finds
 * them: follow `resources:` (files and folders), read every YAML document, apply `namespace`,
 * `namePrefix` and `nameSuffix`. Enough to see collisions and missing resources without running
 * kustomize; generators and patches are left to kustomize itself.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import {
  KUSTOMIZATION_FILE_NAMES,
  kustomizationResources,
  PARSE_OPTIONS,
  parseYamlDocument,
} from '@deploysmith/gitops';
import { isMap, parseAllDocuments } from 'yaml';
import { treeDoesNotBuild } from '../errors.ts';

export interface ObjectRef {
  group: string;
  kind: string;
  /** '' for cluster-scoped kinds. */
  namespace: string;
  name: string;
  /** Repo-relative, or relative to the folder it was collected from (see `collectFolder`). */
  file: string;
  document: number;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CustomResourceDefinition',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
]);

/** Built-in cluster-scoped kinds, and the `Cluster…` convention of CRDs (ClusterIssuer, ClusterRole…). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind) || /^Cluster[A-Z]/.test(kind);
}

/** Objects that are the same object to the API server: same group, kind, namespace and name. */
export function objectKey(object: ObjectRef): string {
  return `${object.group}\0${object.kind}\0${object.namespace}\0${object.name}`;
}

export function describeObject(object: ObjectRef): string {
  const kind = object.group === '' ? object.kind : `${object.kind}.${object.group}`;
  return object.namespace === ''
    ? `${kind} "${object.name}"`
    : `${kind} "${object.namespace}/${object.name}"`;
}

const isRemote = (entry: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry);

/** Objects of the YAML `text` of `file`; a document that is not a Kubernetes object stops the build. */
export function objectsOfYaml(text: string, file: string): ObjectRef[] {
  const objects: ObjectRef[] = [];
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  if (!Array.isArray(docs)) return objects;
  docs.forEach((doc, index) => {
    const [error] = doc.errors;
    if (error) {
      throw treeDoesNotBuild(
        `${file} (document ${index + 1}) is not valid YAML: ${error.message.split('\n')[0]}`,
        [{ file, document: index, message: error.message.split('\n')[0] ?? error.message }],
      );
    }
    if (doc.contents === null) return;
    if (!isMap(doc.contents)) {
      throw treeDoesNotBuild(`${file} (document ${index + 1}) is not a Kubernetes object.`, [
        { file, document: index, message: 'not a mapping' },
      ]);
    }
    addObject(doc.toJS({ maxAliasCount: PARSE_OPTIONS.maxAliasCount }), file, index, objects);
  });
  return objects;
}

function addObject(value: unknown, file: string, document: number, into: ObjectRef[]): void {
  const object = value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
    items?: unknown;
  };
  const kind = object.kind;
  const apiVersion = object.apiVersion;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(object.items)) {
    for (const item of object.items) addObject(item, file, document, into);
    return;
  }
  const name = object.metadata?.name;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || typeof name !== 'string') {
    throw treeDoesNotBuild(`${file} (document ${document + 1}) lacks apiVersion, kind or metadata.name.`, [
      { file, document, message: 'apiVersion, kind and metadata.name are required' },
    ]);
  }
  const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  into.push({
    group,
    kind,
    namespace: isClusterScoped(kind) ? '' : namespace === '' ? 'default' : namespace,
    name,
    file,
    document,
  });
}

/** Which kustomization file a folder holds, or undefined. */
export async function findKustomizationFile(root: string, dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const path = dir === '' ? name : `${dir}/${name}`;
    try {
      if ((await lstat(join(root, path))).isFile()) return path;
    } catch {
      // not this name
    }
  }
  return undefined;
}

export interface CollectOptions {
  /** Resources may not leave this folder (repo-relative); undefined: anywhere in the repo. */
  boundary?: string;
  /** Looks up the objects of a subfolder (a cache); undefined means "collect it". */
  folderObjects?: (dir: string) => Promise<ObjectRef[] | undefined>;
  /** Folders known to exist (in the commit being built on), so they need no lstat. */
  knownFolder?: (dir: string) => boolean;
}

/** A kustomization already read: its file, its resources and the settings that rename objects. */
export interface ParsedKustomization {
  file: string;
  resources: string[];
  settings: KustomizationSettings;
}

export interface KustomizationSettings {
  namespace?: unknown;
  namePrefix?: unknown;
  nameSuffix?: unknown;
  bases?: unknown;
}

export async function readKustomization(root: string, dir: string): Promise<ParsedKustomization> {
  const file = await findKustomizationFile(root, dir);
  if (file === undefined) {
    throw treeDoesNotBuild(`${dir} is listed as a resource but holds no kustomization.yaml.`, [
      { file: dir, message: 'a folder resource needs a kustomization.yaml' },
    ]);
  }
  const doc = parseYamlDocument(await readFile(join(root, file), 'utf8'), file);
  return {
    file,
    resources: kustomizationResources(doc, file),
    settings: (doc.toJS() ?? {}) as KustomizationSettings,
  };
}

/**
 * Objects built by the kustomization in `dir` (repo-relative), with repo-relative file names.
 * `parsed` spares reading the kustomization again when the caller has it.
 */
export async function collectKustomization(
  root: string,
  dir: string,
  options: CollectOptions = {},
  parsed?: ParsedKustomization,
  depth = 0,
): Promise<ObjectRef[]> {
  if (depth > 20) throw treeDoesNotBuild(`${dir}: kustomizations nest more than 20 levels deep (a cycle?).`);
  const { file, resources, settings } = parsed ?? (await readKustomization(root, dir));
  const entries = [...resources, ...(Array.isArray(settings.bases) ? settings.bases.map(String) : [])];
  // Entries are read concurrently (a cold cache means a thousand folders to read) and joined in
  // their listed order; of several problems, the first listed is the one reported.
  const results = await mapConcurrently(entries, 16, async (entry): Promise<ObjectRef[]> => {
    if (isRemote(entry)) return [];
    const target = posix.normalize(posix.join(dir, entry));
    const boundary = options.boundary;
    if (
      target.startsWith('../') ||
      target === '..' ||
      (boundary !== undefined && target !== boundary && !target.startsWith(`${boundary}/`))
    ) {
      throw treeDoesNotBuild(`${file} lists "${entry}", which is outside ${boundary ?? 'the repo'}.`, [
        { file, message: `resource "${entry}" must stay inside ${boundary ?? 'the repo'}` },
      ]);
    }
    const folder = async () =>
      (await options.folderObjects?.(target)) ??
      (await collectKustomization(root, target, options, undefined, depth + 1));
    if (options.knownFolder?.(target)) return folder();
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(join(root, target));
    } catch {
      throw treeDoesNotBuild(`${file} lists "${entry}", which does not exist.`, [
        { file, message: `resource "${entry}" does not exist` },
      ]);
    }
    if (stats.isDirectory()) return folder();
    if (stats.isFile()) return objectsOfYaml(await readFile(join(root, target), 'utf8'), target);
    throw treeDoesNotBuild(`${file} lists "${entry}", which is neither a file nor a folder.`, [
      { file, message: `resource "${entry}" is not a regular file` },
    ]);
  });
  const objects = results.flat();
  return applyTransformers(objects, settings);
}

/** What the kustomization's `namespace`, `namePrefix` and `nameSuffix` make of `objects`. */
export function applyTransformers(
  objects: ObjectRef[],
  settings: { namespace?: unknown; namePrefix?: unknown; nameSuffix?: unknown },
): ObjectRef[] {
  const namespace =
    typeof settings.namespace === 'string' && settings.namespace !== '' ? settings.namespace : undefined;
  const prefix = typeof settings.namePrefix === 'string' ? settings.namePrefix : '';
  const suffix = typeof settings.nameSuffix === 'string' ? settings.nameSuffix : '';
  if (namespace === undefined && prefix === '' && suffix === '') return objects;
  return objects.map((object) => ({
    ...object,
    namespace: namespace !== undefined && object.namespace !== '' ? namespace : object.namespace,
    name:
      object.kind === 'Namespace' || object.kind === 'CustomResourceDefinition'
        ? object.name
        : `${prefix}${object.name}${suffix}`,
  }));
}

/** `work` over `items`, at most `limit` at a time; results in item order, the first failing item's error. */
async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const settled: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        settled[index] = { status: 'fulfilled', value: await work(items[index] as T) };
      } catch (reason) {
        settled[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}
