/** What the GitOps repo holds, read the way Flux reads it: a fresh clone of the bare remote. */
import { join } from 'node:path';
import { cloneRepo, headOf, kustomizeBuild, objectIds, readFolder } from '@deploysmith/testkit/gitops';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';

export interface EnvironmentView {
  /** Files of `environments/<env>/apps/<app>/`, by path relative to it. */
  appFolder: Record<string, string>;
  /** `Kind/namespace/name` of what `kubectl kustomize environments/<env>/apps` builds. */
  builtObjects: string[];
}

export async function readEnvironment(
  remote: string,
  environment: string,
  app: string,
): Promise<EnvironmentView> {
  requireTool('git');
  requireTool('kubectl');
  const dir = await tempDir('smithctl-clone-');
  try {
    const clone = await cloneRepo(remote, join(dir.path, 'repo'));
    const apps = join(clone, 'environments', environment, 'apps');
    return {
      // No folder yet (nothing deployed): no files.
      appFolder: await readFolder(join(apps, app)).catch(() => ({})),
      builtObjects: objectIds(await kustomizeBuild(apps)),
    };
  } finally {
    await dir.remove();
  }
}

export async function remoteHead(remote: string): Promise<string | undefined> {
  return headOf(remote);
}
