/**
 * A deploy written into the working tree: the app folder replaced whole, the app listed in its
 * environment's kustomization, and a new environment's files created. Nothing is staged here.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { assertAppName, assertEnvironmentName } from '@deploysmith/core';
import {
  addKustomizationResource,
  type KustomizationEdit,
  kustomizationResources,
  type ObjectFormat,
  parseYamlDocument,
  treeOid,
} from '@deploysmith/gitops';
import type { ManifestFile } from '@deploysmith/manifests';
import { type Document, isMap, isScalar } from 'yaml';
import { appFolderFiles, assertPlainDirectories, writeAppFolder } from './app-folder.ts';
import type { ParsedKustomization } from './checks/objects.ts';
import { yamlProblem } from './errors.ts';
import {
  appDir,
  appsDir,
  appsKustomizationPath,
  clusterAppsPath,
  clusterInfrastructurePath,
  emptyAppsKustomization,
  fluxKustomization,
} from './flux-layout.ts';
import type { GitDeploy } from './types.ts';

export interface RenderedDeploy {
  /** Repo-relative paths the deploy wrote: stage, diff and restore exactly these. */
  paths: string[];
  /** The folder replaced whole, and every file written (repo-relative), as the commit will hold them. */
  replaced: string;
  written: ManifestFile[];
  appsDir: string;
  appDir: string;
  /** The tree id the app folder will have in the commit. */
  appOid: string;
  /** The environment's kustomization as written now. */
  environment: ParsedKustomization;
  /** True when that kustomization does nothing but list resources. */
  listsOnly: boolean;
}

const LIST_ONLY_KEYS = new Set(['apiVersion', 'kind', 'resources']);

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The environment's kustomization with `app` listed. The parse of a thousand-line list is kept
 * while the file does not change (a redeploy of a listed app leaves it as it was).
 */
const recentDocs = new Map<string, Document>();
function parsedKustomization(text: string, file: string): Document {
  const key = `${file}\0${text}`;
  let doc = recentDocs.get(key);
  if (doc === undefined) {
    doc = parseYamlDocument(text, file);
    if (recentDocs.size >= 8) recentDocs.delete(recentDocs.keys().next().value as string);
    recentDocs.set(key, doc);
  }
  return doc;
}

function listApp(text: string, app: string, file: string): KustomizationEdit {
  return addKustomizationResource(text, app, file, parsedKustomization(text, file));
}

/**
 * Folders outside `environments/<env>/apps` that the environment's kustomization refers to (a
 * shared base, say): the sparse working clone must check them out for the environment to build.
 */
export async function foldersOutsideApps(root: string, env: string): Promise<string[]> {
  const file = appsKustomizationPath(env);
  let text: string;
  try {
    text = await readFile(join(root, file), 'utf8');
  } catch {
    return [];
  }
  let resources: string[];
  try {
    resources = kustomizationResources(parsedKustomization(text, file), file);
  } catch {
    return [];
  }
  const base = appsDir(env);
  const folders = new Set<string>();
  for (const entry of resources) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) continue;
    const target = posix.normalize(posix.join(base, entry));
    if (target === base || target.startsWith(`${base}/`) || target.startsWith('../') || target === '..')
      continue;
    folders.add(/\.ya?ml$/i.test(target) ? posix.dirname(target) : target);
  }
  return [...folders].filter((folder) => folder !== '.');
}

export async function renderDeploy(
  root: string,
  deploy: GitDeploy,
  objectFormat: ObjectFormat,
): Promise<RenderedDeploy> {
  const env = assertEnvironmentName(deploy.environment);
  const app = assertAppName(deploy.app);
  const files = appFolderFiles(deploy.files);
  const folder = appDir(env, app);
  await assertPlainDirectories(root, folder);
  await assertPlainDirectories(root, `clusters/${env}`);

  const kustomizationPath = appsKustomizationPath(env);
  const newEnvironment = !(await exists(join(root, kustomizationPath)));
  const paths = [folder, kustomizationPath];

  await writeAppFolder(root, folder, files);

  const before = newEnvironment
    ? emptyAppsKustomization()
    : await readFile(join(root, kustomizationPath), 'utf8');
  let edit: KustomizationEdit;
  try {
    edit = listApp(before, app, kustomizationPath);
  } catch (error) {
    throw yamlProblem(error) ?? error;
  }
  if (edit.changed || newEnvironment) await writeFile(join(root, kustomizationPath), edit.text);
  const encode = (value: string) => new TextEncoder().encode(value);
  const written: ManifestFile[] = [
    ...files.map((file) => ({ path: `${folder}/${file.path}`, content: file.content })),
    { path: kustomizationPath, content: encode(edit.text) },
  ];

  const cluster = clusterAppsPath(env);
  if (newEnvironment && !(await exists(join(root, cluster)))) {
    const dependsOn = (await exists(join(root, clusterInfrastructurePath(env))))
      ? 'infrastructure'
      : undefined;
    await mkdir(dirname(join(root, cluster)), { recursive: true });
    const text = fluxKustomization('apps', appsDir(env), dependsOn);
    await writeFile(join(root, cluster), text);
    paths.push(cluster);
    written.push({ path: cluster, content: encode(text) });
  }
  const contents = edit.doc.contents;
  const keys = isMap(contents)
    ? contents.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''))
    : [];
  const setting = (key: string) => (isMap(contents) ? contents.get(key) : undefined);
  return {
    paths,
    replaced: folder,
    written,
    appsDir: appsDir(env),
    appDir: folder,
    appOid: treeOid(files, objectFormat),
    environment: {
      file: kustomizationPath,
      resources: edit.resources,
      settings: {
        namespace: setting('namespace'),
        namePrefix: setting('namePrefix'),
        nameSuffix: setting('nameSuffix'),
        bases: (setting('bases') as { toJSON?: () => unknown } | undefined)?.toJSON?.(),
      },
    },
    listsOnly: keys.every((key) => LIST_ONLY_KEYS.has(key)),
  };
}
