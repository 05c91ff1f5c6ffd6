/**
 * A deploy written into the working tree: the app folder replaced whole, the app listed in its
 * environment's kustomization, and a new environment's files created. Nothing is staged here.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertAppName, assertEnvironmentName } from '@deploysmith/core';
import { addKustomizationResource, type ObjectFormat, treeOid } from '@deploysmith/gitops';
import { appFolderFiles, assertPlainDirectories, writeAppFolder } from './app-folder.ts';
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
  appsDir: string;
  appDir: string;
  /** The tree id the app folder will have in the commit. */
  appOid: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

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
  let edit: { text: string; changed: boolean };
  try {
    edit = addKustomizationResource(before, app, kustomizationPath);
  } catch (error) {
    throw yamlProblem(error) ?? error;
  }
  if (edit.changed || newEnvironment) await writeFile(join(root, kustomizationPath), edit.text);

  const cluster = clusterAppsPath(env);
  if (newEnvironment && !(await exists(join(root, cluster)))) {
    const dependsOn = (await exists(join(root, clusterInfrastructurePath(env))))
      ? 'infrastructure'
      : undefined;
    await mkdir(dirname(join(root, cluster)), { recursive: true });
    await writeFile(join(root, cluster), fluxKustomization('apps', appsDir(env), dependsOn));
    paths.push(cluster);
  }
  return { paths, appsDir: appsDir(env), appDir: folder, appOid: treeOid(files, objectFormat) };
}
